/// Least connections: the worker with the fewest outstanding jobs per slot (a heap keeps it O(1)).
public struct LeastLoaded: PlacementStrategy {
    public let name = "least-loaded"

    public init() {}

    public mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement? {
        if job.resources.gpu > 0 { return placeOnGPU(job, in: cluster) }
        return Placement(worker: cluster.leastLoaded, gpu: nil)
    }
}
