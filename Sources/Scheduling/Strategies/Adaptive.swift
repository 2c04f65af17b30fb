/// The lowest expected completion time: the worker's backlog and this job's cost over its
/// observed speed (an EWMA of megapixels per second). Small clusters are scanned; past
/// `scanLimit` workers the candidates are two sampled workers (power of two choices), the
/// least-loaded one and the one whose backlog drains first (two heaps), which keeps the decision
/// O(1) and never misses an idle worker or the fastest way through.
public struct Adaptive: PlacementStrategy {
    public let name = "adaptive"
    public var scanLimit = 256

    public init() {}

    public mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement? {
        if job.resources.gpu > 0 {
            // Of the emptiest GPUs that fit, the one whose worker finishes the job soonest.
            return cluster.gpu(for: job.resources, bestFit: false) { $0.expectedCompletion(of: job.cost) }
        }
        let workers = cluster.workers
        if workers.count <= scanLimit {
            var best = 0
            var bestTime = Double.infinity
            for worker in workers {
                let time = worker.expectedCompletion(of: job.cost)
                if time < bestTime { (best, bestTime) = (worker.id, time) }
            }
            return Placement(worker: best, gpu: nil)
        }
        let candidates = [random.next(below: workers.count), random.next(below: workers.count), cluster.leastLoaded,
                          cluster.soonestFree]
        let best = candidates.min { workers[$0].expectedCompletion(of: job.cost) < workers[$1].expectedCompletion(of: job.cost) }!
        return Placement(worker: best, gpu: nil)
    }
}
