import Foundation
import JobQueue
import Scheduling
import Testing

@Suite("Scheduling round")
struct SchedulingRoundTests {
    private static let now = Date(timeIntervalSince1970: 1_000_000)

    private func worker(_ id: String, slots: Int = 1, speed: Double? = nil, gpus: [WorkerRecord.GPU] = []) -> WorkerRecord {
        var record = WorkerRecord(id: id, host: "h", pid: 1, version: "1", slots: slots, gpus: gpus, now: Self.now)
        record.load.speed = speed
        return record
    }

    private func jobs(_ count: Int, queue: String = "work", resources: ResourceRequest = ResourceRequest(),
                      key: String? = nil) -> [Job] {
        (0..<count).map { index in
            Job(id: "\(queue)-\(index)", queue: queue, payload: Data(), runAt: Self.now, resources: resources, affinityKey: key,
                now: Self.now.addingTimeInterval(Double(index)))
        }
    }

    private func counts(_ outcome: SchedulingRound.Outcome) -> [String: Int] {
        Dictionary(grouping: outcome.assignments, by: \.worker).mapValues(\.count)
    }

    @Test("no worker is given more than depth × slots, counting what it already has")
    func depthCap() {
        var round = SchedulingRound(defaultStrategy: .leastLoaded, depth: 2)
        let busy = OutstandingJob(jobID: "old", worker: "a", gpu: nil, resources: ResourceRequest(), cost: 1, queued: false)
        let outcome = round.place(SchedulingSnapshot(pending: ["work": jobs(20)], outstanding: [busy]),
                                  on: [worker("a", slots: 2), worker("b", slots: 1)])
        #expect(counts(outcome) == ["a": 3, "b": 2])
        #expect(Set(outcome.assignments.map(\.jobID)).count == 5)
        // First come, first placed: the rest wait for room.
        #expect(outcome.assignments.map(\.jobID).sorted() == (0..<5).map { "work-\($0)" }.sorted())
    }

    @Test("room is counted in CPUs asked for, not jobs: a 2-CPU job fills a 2-slot worker at depth 1")
    func cpuUnits() {
        var round = SchedulingRound(defaultStrategy: .leastLoaded, depth: 1)
        let wide = jobs(1, resources: ResourceRequest(cpu: 2))
        let narrow = jobs(2).map { job -> Job in
            var job = job
            job.id += "-narrow"
            return job
        }
        let outcome = round.place(SchedulingSnapshot(pending: ["work": wide + narrow], outstanding: []), on: [worker("a", slots: 2)])
        #expect(outcome.assignments.map(\.jobID) == [wide[0].id])
        #expect(outcome.backlogged)
    }

    @Test("round-robin keeps its turn: a full worker holds the queue instead of being skipped")
    func strictRoundRobin() {
        var round = SchedulingRound(defaultStrategy: .roundRobin, depth: 1)
        let workers = [worker("a"), worker("b"), worker("c")]
        let first = round.place(SchedulingSnapshot(pending: ["work": jobs(9)], outstanding: []), on: workers)
        #expect(first.assignments.map(\.worker) == ["a", "b", "c"])
        // b and c finished; a is still busy: its turn comes first, so nothing moves.
        let running = OutstandingJob(jobID: "work-0", worker: "a", gpu: nil, resources: ResourceRequest(), cost: 1, queued: false)
        let second = round.place(SchedulingSnapshot(pending: ["work": Array(jobs(9).dropFirst(3))], outstanding: [running]),
                                 on: workers)
        #expect(second.assignments.isEmpty)
    }

    @Test("adaptive sends work to the worker that will finish it soonest, by observed speed")
    func adaptivePrefersFast() {
        var round = SchedulingRound(defaultStrategy: .adaptive, depth: 4)
        let outcome = round.place(SchedulingSnapshot(pending: ["work": jobs(6)], outstanding: []),
                                  on: [worker("fast", speed: 5), worker("slow", speed: 0.5)])
        let placed = counts(outcome)
        #expect(placed["fast", default: 0] == 4)
        #expect(placed["slow", default: 0] <= 1)
    }

    @Test("fractional GPU jobs share a GPU while it has room; bin-pack fills one, spread uses both")
    func gpuPacking() {
        let gpus = [WorkerRecord.GPU(index: 0, model: "sim", memoryMB: 16_000), WorkerRecord.GPU(index: 1, model: "sim", memoryMB: 16_000)]
        let quarter = ResourceRequest(cpu: 1, gpu: 0.25, gpuMemoryMB: 2000)
        var packing = SchedulingRound(defaultStrategy: .binPack, depth: 8)
        let packed = packing.place(SchedulingSnapshot(pending: ["work": jobs(4, resources: quarter)], outstanding: []),
                                   on: [worker("g", slots: 4, gpus: gpus)])
        #expect(packed.assignments.count == 4)
        #expect(Set(packed.assignments.map(\.gpu)) == [0] || Set(packed.assignments.map(\.gpu)) == [1])
        var spreading = SchedulingRound(defaultStrategy: .spread, depth: 8)
        let spread = spreading.place(SchedulingSnapshot(pending: ["work": jobs(4, resources: quarter)], outstanding: []),
                                     on: [worker("g", slots: 4, gpus: gpus)])
        #expect(Dictionary(grouping: spread.assignments, by: { $0.gpu ?? -1 }).mapValues(\.count) == [0: 2, 1: 2])
        // A GPU already holding 3/4 takes one more quarter, not a half.
        let held = (0..<3).map { OutstandingJob(jobID: "h\($0)", worker: "g", gpu: 0, resources: quarter, cost: 1, queued: false) }
        var round = SchedulingRound(defaultStrategy: .binPack, depth: 8)
        let half = ResourceRequest(cpu: 1, gpu: 0.5, gpuMemoryMB: 2000)
        let outcome = round.place(SchedulingSnapshot(pending: ["work": jobs(1, resources: half)], outstanding: held),
                                  on: [worker("g", slots: 8, gpus: [gpus[0]])])
        #expect(outcome.assignments.isEmpty, "it fits the worker, just not now: it waits")
    }

    @Test("a job no live worker could ever run stays pending; the jobs behind it still go")
    func unschedulable() {
        var round = SchedulingRound(depth: 2)
        let gpuJob = jobs(1, queue: "work", resources: ResourceRequest(cpu: 1, gpu: 1, gpuMemoryMB: 1000))
        let cpuJobs = jobs(2, queue: "work").map { job -> Job in
            var job = job
            job.id += "-cpu"
            return job
        }
        let outcome = round.place(SchedulingSnapshot(pending: ["work": gpuJob + cpuJobs], outstanding: []),
                                  on: [worker("a", slots: 1)])
        #expect(outcome.assignments.map(\.jobID) == cpuJobs.map(\.id))
        let unstaffed = round.place(SchedulingSnapshot(pending: ["work": jobs(3)], outstanding: []), on: [])
        #expect(unstaffed.assignments.isEmpty, "with no live worker, jobs wait for one")
    }

    @Test("queues share the room by weight: uploads at 10 are not starved by a batch at 1")
    func fairShare() {
        var round = SchedulingRound(defaultStrategy: .leastLoaded, weights: ["uploads": 10, "batch": 1], depth: 1)
        let outcome = round.place(SchedulingSnapshot(pending: ["batch": jobs(50, queue: "batch"), "uploads": jobs(50, queue: "uploads")],
                                                     outstanding: []),
                                  on: (0..<11).map { worker("w\($0)") })
        let byQueue = Dictionary(grouping: outcome.assignments, by: { $0.jobID.hasPrefix("uploads") ? "uploads" : "batch" })
            .mapValues(\.count)
        #expect(byQueue == ["uploads": 10, "batch": 1])
    }

    @Test("each queue places by its own strategy; the others by the default")
    func perQueueStrategies() {
        var round = SchedulingRound(strategies: ["rr": .roundRobin], defaultStrategy: .leastLoaded, depth: 10)
        let busy = (0..<2).map { OutstandingJob(jobID: "b\($0)", worker: "a", gpu: nil, resources: ResourceRequest(), cost: 1, queued: false) }
        let outcome = round.place(SchedulingSnapshot(pending: ["ll": jobs(1, queue: "ll"), "rr": jobs(1, queue: "rr")], outstanding: busy),
                                  on: [worker("a"), worker("b")])
        let placed = Dictionary(uniqueKeysWithValues: outcome.assignments.map { ($0.jobID, $0.worker) })
        // least-loaded picks the idle worker; round-robin takes its turn (the first) whatever the load.
        #expect(placed == ["ll-0": "b", "rr-0": "a"])
    }

    @Test("a round through the scheduler takes back jobs assigned to a worker that is gone and places them again")
    func scheduleReassigns() async throws {
        let queue = MemoryJobQueue()
        try await queue.register(worker("live"))
        let job = try await queue.enqueue(NewJob(queue: "work", payload: Data()))
        try await queue.assign([JobAssignment(jobID: job.id, worker: "ghost")])
        let scheduler = JobScheduler(queue: queue, queues: ["work"], holder: "live")
        var round = SchedulingRound()
        let outcome = try await scheduler.schedule(&round)
        #expect(outcome.assignments == [JobAssignment(jobID: job.id, worker: "live")])
        #expect(try await queue.job(id: job.id)?.assignedTo == "live")
    }

    @Test("a round's room is depth × slots per live worker, less the CPUs its outstanding jobs ask for, never below 0")
    func room() {
        let round = SchedulingRound(depth: 2)
        let workers = [worker("a", slots: 2), worker("b", slots: 1)]
        let wide = OutstandingJob(jobID: "w", worker: "a", gpu: nil, resources: ResourceRequest(cpu: 3), cost: 1, queued: false)
        let over = (0..<3).map { OutstandingJob(jobID: "o\($0)", worker: "b", gpu: nil, resources: ResourceRequest(), cost: 1, queued: true) }
        let gone = OutstandingJob(jobID: "g", worker: "gone", gpu: nil, resources: ResourceRequest(cpu: 8), cost: 1, queued: true)
        #expect(round.room(on: workers, outstanding: []) == 6)
        #expect(round.room(on: workers, outstanding: [wide] + over + [gone]) == 1, "a: 4 − 3, b: full (3 > 2), the gone worker's job counts nowhere")
    }

    @Test("the scheduler waits longer after each round that places nothing, up to its quiet interval, and not after one that does")
    func idleBackoff() {
        let settings = JobScheduler.Settings(interval: .milliseconds(200), quietInterval: .seconds(1))
        var wait = settings.interval
        var waits: [Duration] = []
        for _ in 0..<5 {
            wait = settings.wait(after: wait, active: false)
            waits.append(wait)
        }
        #expect(waits == [.milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1), .seconds(1)])
        #expect(settings.wait(after: .seconds(1), active: true) == .milliseconds(200))
    }

    @Test("affinity sends the same source to the same worker while its load stays within the bound")
    func affinity() {
        var round = SchedulingRound(defaultStrategy: .affinity, depth: 50)
        let workers = (0..<4).map { worker("w\($0)", slots: 4) }
        // A busy cluster (8 jobs each): the bound, 1.25 × the average, leaves the key's worker room for 3 more.
        let busy = workers.flatMap { worker in
            (0..<8).map { OutstandingJob(jobID: "\(worker.id)-\($0)", worker: worker.id, gpu: nil, resources: ResourceRequest(),
                                         cost: 1, queued: false) }
        }
        let outcome = round.place(SchedulingSnapshot(pending: ["work": jobs(3, key: "originals/cat")], outstanding: busy), on: workers)
        #expect(outcome.assignments.count == 3)
        #expect(Set(outcome.assignments.map(\.worker)).count == 1)
        let other = round.place(SchedulingSnapshot(pending: ["work": jobs(1, key: "originals/cat")], outstanding: busy), on: workers)
        #expect(other.assignments.first?.worker == outcome.assignments.first?.worker, "the next round agrees")
    }
}
