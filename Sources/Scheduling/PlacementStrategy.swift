/// Decides which worker (and GPU) runs a job. One small type per strategy.
///
/// `place` must stay O(log n) or better in the number of workers: it runs once per job, and
/// clusters have thousands of workers. Returning nil means no worker fits now (the job waits).
public protocol PlacementStrategy: Sendable {
    /// The name `--strategy` takes.
    var name: String { get }
    /// Chooses a placement for `job`.
    mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement?
}

extension PlacementStrategy {
    /// GPU jobs go to the emptiest GPU that fits, unless a strategy says otherwise.
    func placeOnGPU(_ job: SchedulingJob, in cluster: ClusterState, bestFit: Bool = false) -> Placement? {
        cluster.gpu(for: job.resources, bestFit: bestFit)
    }
}

/// The strategies by name.
public enum StrategyName: String, Sendable, CaseIterable {
    case roundRobin = "round-robin"
    case leastLoaded = "least-loaded"
    case adaptive
    case binPack = "bin-pack"
    case spread
    case affinity

    /// A fresh strategy for `cluster`.
    public func make(for cluster: ClusterState) -> any PlacementStrategy {
        switch self {
        case .roundRobin: RoundRobin()
        case .leastLoaded: LeastLoaded()
        case .adaptive: Adaptive()
        case .binPack: GPUPacking(bestFit: true)
        case .spread: GPUPacking(bestFit: false)
        case .affinity: Affinity(workers: cluster.workers.count)
        }
    }
}
