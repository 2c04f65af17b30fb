import Foundation
public import Scheduling

/// One pass of the scheduler: the live workers and the load already on them become a
/// ``ClusterState``, and pending jobs are placed by each queue's strategy (the same code the
/// simulation drives) until the workers are full.
///
/// A worker is full at `depth` times its CPU slots (and memory) in outstanding requests: it
/// holds one job running and the next ready per slot, no more, so work stays with the
/// scheduler until a worker can start it soon, and a slow worker is not buried. Queues take turns by weighted fair share. Strategies keep
/// their state between rounds (round-robin's turn) until the set of workers changes.
public struct SchedulingRound: Sendable {
    /// What one round decided.
    public struct Outcome: Sendable, Equatable {
        public var assignments: [JobAssignment] = []
        /// Whether jobs are left waiting for room on full workers: the next round should come
        /// soon, since room appears as jobs finish (which wakes no one).
        public var backlogged = false
    }

    public let strategies: [String: StrategyName]
    public let defaultStrategy: StrategyName
    public let weights: [String: Double]
    public let depth: Int
    private var workerIDs: [String] = []
    private var placers: [String: any PlacementStrategy] = [:]
    private var random = SplitMix64(seed: 0x5EED)

    /// Creates a scheduler's state: `strategies` by queue (others use `defaultStrategy`).
    public init(strategies: [String: StrategyName] = [:], defaultStrategy: StrategyName = .adaptive,
                weights: [String: Double] = [:], depth: Int = 2) {
        self.strategies = strategies
        self.defaultStrategy = defaultStrategy
        self.weights = weights
        self.depth = max(1, depth)
    }

    /// The CPUs `workers` can still take in requests before they are full, given the
    /// `outstanding` jobs already on them: how many pending jobs a round is worth reading.
    public func room(on workers: [WorkerRecord], outstanding: [OutstandingJob]) -> Double {
        var used: [String: Double] = [:]
        for job in outstanding { used[job.worker, default: 0] += job.resources.cpu }
        return workers.reduce(0) { $0 + max(0, Double(depth * $1.slots) - used[$1.id, default: 0]) }
    }

    /// Places what it can of `snapshot.pending` on `workers` (the live ones).
    public mutating func place(_ snapshot: SchedulingSnapshot, on workers: [WorkerRecord]) -> Outcome {
        var outcome = Outcome()
        let workers = workers.sorted { $0.id < $1.id }
        let index = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($0.element.id, $0.offset) })
        // A worker that has not finished a job yet is assumed as fast as the average known one,
        // so that adaptive tries it (and learns its speed) instead of shunning it for ever.
        let known = workers.compactMap(\.load.speed).filter { $0 > 0 }
        let prior = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        var cluster = ClusterState(workers: workers.enumerated().map { position, worker in
            WorkerState(id: position, slots: worker.slots,
                        gpus: worker.gpus.map { GPUState(index: $0.index, memoryMB: $0.memoryMB) },
                        assumedSpeed: worker.load.speed.map { max($0, 1e-6) } ?? prior)
        })
        // The load already there: running jobs and those assigned but not started, in jobs (for
        // the strategies) and in CPU and memory (for the room each worker has).
        var used = [(cpu: Double, memoryMB: Int)](repeating: (0, 0), count: workers.count)
        for job in snapshot.outstanding {
            guard let position = index[job.worker] else { continue }
            used[position].cpu += job.resources.cpu
            used[position].memoryMB += job.resources.memoryMB
            let gpu = job.gpu.flatMap { device in workers[position].gpus.firstIndex { $0.index == device } }
            cluster.assign(SchedulingJob(id: 0, sourceKey: 0, cost: job.cost, resources: job.resources),
                           to: Placement(worker: position, gpu: job.resources.gpu > 0 ? gpu : nil))
        }
        // No live worker: everything waits for one.
        guard !workers.isEmpty else { return outcome }
        if workers.map(\.id) != workerIDs {
            workerIDs = workers.map(\.id)
            placers = [:]
        }

        let queues = snapshot.pending.keys.sorted()
        var share = FairShare(queues: queues, weights: weights)
        var next = [Int](repeating: 0, count: queues.count)
        var blocked = Set<Int>()
        while true {
            // The queue most behind on its share that still has jobs and room places one job.
            guard let turn = share.order().first(where: { !blocked.contains($0) && next[$0] < snapshot.pending[queues[$0]]!.count })
            else { break }
            let queue = queues[turn]
            let job = snapshot.pending[queue]![next[turn]]
            next[turn] += 1
            // No live worker could ever run it: it stays queued (`/v1/queues` counts it).
            guard job.resources.fitsSome(of: workers) else { continue }
            let candidate = SchedulingJob(id: 0, sourceKey: Self.key(job), cost: job.cost, resources: job.resources)
            var placer = placers[queue] ?? (strategies[queue] ?? defaultStrategy).make(for: cluster)
            guard var placement = placer.place(candidate, in: cluster, random: &random) else {
                // No GPU has room now: this job waits; the ones behind it may still fit.
                continue
            }
            if !job.resources.fits(within: workers[placement.worker].capacity), job.resources.gpu <= 0 {
                // The strategy's pick is too small for it (CPU or memory): the least loaded that fits.
                let fitting = cluster.workers.filter { job.resources.fits(within: workers[$0.id].capacity) }
                placement = Placement(worker: fitting.min { $0.load < $1.load }!.id, gpu: nil)
            }
            // A GPU job whose GPU has room on a worker too small for the rest of it waits.
            guard job.resources.fits(within: workers[placement.worker].capacity) else { continue }
            let chosen = workers[placement.worker]
            let room = used[placement.worker].cpu + job.resources.cpu <= Double(depth * chosen.slots) + 1e-9
                && (chosen.memoryMB == 0 || used[placement.worker].memoryMB + job.resources.memoryMB <= depth * chosen.memoryMB)
            guard room else {
                // The chosen worker is full: this queue waits for the next round, in order.
                blocked.insert(turn)
                next[turn] -= 1
                outcome.backlogged = true
                continue
            }
            placers[queue] = placer
            cluster.assign(candidate, to: placement)
            used[placement.worker].cpu += job.resources.cpu
            used[placement.worker].memoryMB += job.resources.memoryMB
            share.served(turn, jobs: 1)
            outcome.assignments.append(JobAssignment(
                jobID: job.id, worker: workers[placement.worker].id,
                gpu: placement.gpu.map { workers[placement.worker].gpus[$0].index }))
        }
        return outcome
    }

    /// The job's affinity key as the ring's number (its id when it has none, which spreads).
    private static func key(_ job: Job) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (job.affinityKey ?? job.id).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return hash
    }
}
