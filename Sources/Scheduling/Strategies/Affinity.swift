/// The same source key to the same worker, for cache locality, while that worker's load stays
/// within `balance` × the average: consistent hashing with bounded loads. A key whose worker is
/// full walks clockwise on the ring to the next one with room; adding or removing a worker moves
/// only its share of the keys.
public struct Affinity: PlacementStrategy {
    public let name = "affinity"
    /// How far above the average load a worker may go before its keys spill over.
    public var balance = 1.25
    /// (point on the ring, worker), sorted by point.
    private let ring: [(UInt64, Int)]

    /// Builds the ring: `virtualNodes` points per worker even out the shares.
    public init(workers: Int, virtualNodes: Int = 64) {
        var points: [(UInt64, Int)] = []
        points.reserveCapacity(workers * virtualNodes)
        for worker in 0..<workers {
            for replica in 0..<virtualNodes {
                var mixer = SplitMix64(seed: UInt64(worker) &* 0x9E37_79B9 &+ UInt64(replica) &* 0x85EB_CA6B)
                points.append((mixer.next(), worker))
            }
        }
        ring = points.sorted { $0.0 < $1.0 }
    }

    public mutating func place(_ job: SchedulingJob, in cluster: ClusterState, random: inout SplitMix64) -> Placement? {
        if job.resources.gpu > 0 { return placeOnGPU(job, in: cluster) }
        let workers = cluster.workers
        let bound = Int((balance * Double(cluster.totalOutstanding + 1) / Double(workers.count)).rounded(.up))
        var mixer = SplitMix64(seed: job.sourceKey)
        let point = mixer.next()
        // Binary search for the first point at or after the key's.
        var low = 0, high = ring.count
        while low < high {
            let middle = (low + high) / 2
            if ring[middle].0 < point { low = middle + 1 } else { high = middle }
        }
        for step in 0..<ring.count {
            let worker = ring[(low + step) % ring.count].1
            if workers[worker].outstanding < max(bound, 1) { return Placement(worker: worker, gpu: nil) }
        }
        return Placement(worker: cluster.leastLoaded, gpu: nil)
    }
}
