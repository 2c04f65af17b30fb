/// GPU placement. `bin-pack` fills the fullest GPU that still fits, keeping whole GPUs free for
/// jobs that need one; `spread` takes the emptiest, spreading heat and memory pressure. CPU-only
/// jobs go to the least-loaded worker.
public struct GPUPacking: PlacementStrategy {
    public let bestFit: Bool
    public var name: String { bestFit ? "bin-pack" : "spread" }

    /// `bestFit` true is bin-pack, false is spread.
    public init(bestFit: Bool) { self.bestFit = bestFit }

    public mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement? {
        if job.resources.gpu > 0 { return placeOnGPU(job, in: cluster, bestFit: bestFit) }
        return Placement(worker: cluster.leastLoaded, gpu: nil)
    }
}
