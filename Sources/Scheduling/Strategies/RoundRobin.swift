/// Each worker in turn, whatever its speed or load: simple and fair only when workers are alike.
public struct RoundRobin: PlacementStrategy {
    public let name = "round-robin"
    private var next = 0

    public init() {}

    public mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement? {
        if job.resources.gpu > 0 { return placeOnGPU(job, in: cluster) }
        defer { next = (next + 1) % cluster.workers.count }
        return Placement(worker: next % cluster.workers.count, gpu: nil)
    }
}
