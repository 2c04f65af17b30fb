import Testing
@testable import Scheduling

@Suite("Placement strategies")
struct StrategyTests {
    static func cluster(_ count: Int, slots: Int = 2, gpus: Int = 0) -> ClusterState {
        ClusterState(workers: (0..<count).map { id in
            WorkerState(id: id, slots: slots, gpus: (0..<gpus).map { GPUState(index: $0, memoryMB: 16_000) })
        })
    }

    static func job(_ id: Int, key: UInt64 = 0, cost: Double = 1, gpu: Double = 0) -> SchedulingJob {
        SchedulingJob(id: id, sourceKey: key, cost: cost,
                      resources: ResourceRequest(gpu: gpu, gpuMemoryMB: Int(gpu * 8000)))
    }

    @Test("round-robin takes each worker in turn")
    func roundRobin() {
        var cluster = Self.cluster(3)
        var strategy = RoundRobin()
        var random = SplitMix64(seed: 1)
        let picks = (0..<6).map { index -> Int in
            let placement = strategy.place(Self.job(index), in: cluster, random: &random)!
            cluster.assign(Self.job(index), to: placement)
            return placement.worker
        }
        #expect(picks == [0, 1, 2, 0, 1, 2])
    }

    @Test("least-loaded follows outstanding jobs per slot, through assignments and finishes")
    func leastLoaded() {
        var cluster = ClusterState(workers: [WorkerState(id: 0, slots: 4), WorkerState(id: 1, slots: 1), WorkerState(id: 2, slots: 2)])
        var strategy = LeastLoaded()
        var random = SplitMix64(seed: 1)
        var placed: [(SchedulingJob, Placement)] = []
        for index in 0..<7 {
            let placement = strategy.place(Self.job(index), in: cluster, random: &random)!
            cluster.assign(Self.job(index), to: placement)
            placed.append((Self.job(index), placement))
        }
        // 7 jobs over 4 + 1 + 2 slots: one per slot.
        #expect(cluster.workers.map(\.outstanding) == [4, 1, 2])
        let (job, placement) = placed.first { $0.1.worker == 1 }!
        cluster.finish(job, at: placement, ranFor: 1)
        #expect(strategy.place(Self.job(99), in: cluster, random: &random)?.worker == 1)
    }

    @Test("both heaps' minimums (load, drain time) are the true ones after any sequence of changes")
    func heapAgreesWithAScan() {
        var random = SplitMix64(seed: 7)
        var cluster = Self.cluster(50, slots: 3)
        var live: [(SchedulingJob, Placement)] = []
        for step in 0..<5000 {
            if live.isEmpty || random.unit() < 0.6 {
                let placement = Placement(worker: random.next(below: 50), gpu: nil)
                cluster.assign(Self.job(step), to: placement)
                live.append((Self.job(step), placement))
            } else {
                let (job, placement) = live.remove(at: random.next(below: live.count))
                // Run times vary, so speeds (and drain times) change too.
                cluster.finish(job, at: placement, ranFor: 0.2 + random.unit() * 3)
            }
            let best = cluster.workers.map(\.load).min()!
            #expect(cluster.workers[cluster.leastLoaded].load == best)
            let soonest = cluster.workers.map(\.drainTime).min()!
            #expect(abs(cluster.workers[cluster.soonestFree].drainTime - soonest) < 1e-9)
        }
    }

    @Test("adaptive prefers the worker that finishes soonest, from observed speeds")
    func adaptive() {
        var cluster = Self.cluster(2, slots: 1)
        // Worker 1 has shown itself 4× faster.
        cluster.assign(Self.job(0, cost: 4), to: Placement(worker: 1, gpu: nil))
        cluster.speedSmoothing = 1
        cluster.finish(Self.job(0, cost: 4), at: Placement(worker: 1, gpu: nil), ranFor: 1)
        cluster.assign(Self.job(1, cost: 1), to: Placement(worker: 0, gpu: nil))
        cluster.finish(Self.job(1, cost: 1), at: Placement(worker: 0, gpu: nil), ranFor: 1)
        #expect(cluster.workers.map(\.speed) == [1, 4])
        var strategy = Adaptive()
        var random = SplitMix64(seed: 1)
        // Even with two jobs queued, the fast worker finishes a third sooner.
        cluster.assign(Self.job(2, cost: 2), to: Placement(worker: 1, gpu: nil))
        cluster.assign(Self.job(3, cost: 2), to: Placement(worker: 1, gpu: nil))
        #expect(strategy.place(Self.job(4, cost: 2), in: cluster, random: &random)?.worker == 1)
    }

    @Test("affinity keeps a key on one worker until that worker is over its bound")
    func affinity() {
        var cluster = Self.cluster(10)
        var strategy = Affinity(workers: 10)
        var random = SplitMix64(seed: 1)
        let home = strategy.place(Self.job(0, key: 42), in: cluster, random: &random)!.worker
        for index in 0..<5 { #expect(strategy.place(Self.job(index, key: 42), in: cluster, random: &random)?.worker == home) }
        // Other keys land elsewhere too: the ring spreads them.
        let spread = Set((0..<200).map { strategy.place(Self.job($0, key: UInt64($0)), in: cluster, random: &random)!.worker })
        #expect(spread.count >= 8)
        // Pile jobs on the home worker: past 1.25 × the average, the key spills to another.
        for index in 0..<6 { cluster.assign(Self.job(index), to: Placement(worker: home, gpu: nil)) }
        #expect(strategy.place(Self.job(9, key: 42), in: cluster, random: &random)?.worker != home)
    }

    @Test("bin-pack fills the fullest GPU that fits, spread the emptiest; a GPU is never overcommitted")
    func gpuPlacement() {
        var cluster = Self.cluster(2, gpus: 2)
        var random = SplitMix64(seed: 1)
        var binPack = GPUPacking(bestFit: true)
        var spread = GPUPacking(bestFit: false)
        let first = binPack.place(Self.job(0, gpu: 0.25), in: cluster, random: &random)!
        cluster.assign(Self.job(0, gpu: 0.25), to: first)
        #expect(binPack.place(Self.job(1, gpu: 0.5), in: cluster, random: &random) == first)
        #expect(spread.place(Self.job(1, gpu: 0.5), in: cluster, random: &random) != first)
        // Keep adding half GPUs: 4 GPUs hold 7 more at most (one has 0.25 taken), then nothing fits.
        var placed = 0
        while let placement = binPack.place(Self.job(10 + placed, gpu: 0.5), in: cluster, random: &random) {
            cluster.assign(Self.job(10 + placed, gpu: 0.5), to: placement)
            placed += 1
        }
        #expect(placed == 7)
        #expect(cluster.workers.flatMap(\.gpus).allSatisfy { $0.freeUnits >= 0 && $0.freeMemoryMB >= 0 })
        #expect(binPack.place(Self.job(99, gpu: 0.25), in: cluster, random: &random) != nil)
        #expect(binPack.place(Self.job(99, gpu: 1), in: cluster, random: &random) == nil)
    }
}
