import Foundation
import JobQueue
import Logging
import ServiceLifecycle
import Synchronization
import Scheduling
import Testing
import TestSupport

@Suite("Job worker", .ownThread)
struct JobWorkerTests {
    /// Runs jobs by a closure, tracking how many run at once.
    final class Handler: JobHandler {
        let running = Mutex(0)
        let peak = Mutex(0)
        let body: @Sendable (Job) async throws -> Data?
        init(_ body: @escaping @Sendable (Job) async throws -> Data?) { self.body = body }
        func handle(_ job: Job) async throws -> Data? {
            let now = running.withLock { $0 += 1; return $0 }
            peak.withLock { $0 = max($0, now) }
            defer { running.withLock { $0 -= 1 } }
            return try await body(job)
        }
    }

    func enqueue(_ queue: any JobQueue, _ count: Int, maxAttempts: Int = 3) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            ids.append(try await queue.enqueue(NewJob(queue: "work", payload: Data("\(index)".utf8), maxAttempts: maxAttempts)).id)
        }
        return ids
    }

    /// Runs `worker` in a service group until `done`, then shuts it down gracefully.
    func run(_ worker: JobWorker, until done: @escaping @Sendable () async throws -> Bool) async throws {
        let group = ServiceGroup(configuration: .init(services: [worker], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Generous: the suite runs worker processes in parallel (a load average of 30 on two
            // cores was measured), and a starved test must not fail; only a hang reaches this.
            let deadline = ContinuousClock.now + .seconds(400)
            while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("every job completes once, never more at a time than the concurrency")
    func completesWithinConcurrency() async throws {
        let queue = MemoryJobQueue()
        let ids = try await enqueue(queue, 30)
        let handler = Handler { job in
            try await Task.sleep(for: .milliseconds(5))
            return job.payload
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler],
                               settings: .init(concurrency: 3, pollInterval: .milliseconds(10)))
        try await run(worker) { try await queue.stats(queue: "work").depth + queue.stats(queue: "work").inFlight == 0 }
        for id in ids {
            let job = try await queue.job(id: id)
            #expect(job?.status == .completed && job?.attempts == 1 && job?.result == job?.payload)
        }
        #expect(handler.peak.withLock { $0 } <= 3 && handler.peak.withLock { $0 } >= 2)
    }

    @Test("a job that asks for two CPUs holds two slots: nothing else runs beside it on a 2-slot worker")
    func multiSlotJobs() async throws {
        let queue = MemoryJobQueue()
        let wide = Mutex(false)
        let overlapped = Mutex(false)
        let handler = Handler { job in
            let isWide = job.resources.cpu == 2
            if isWide { wide.withLock { $0 = true } }
            try await Task.sleep(for: .milliseconds(20))
            if isWide { wide.withLock { $0 = false } }
            return nil
        }
        let checked = Handler { job in
            // Any job seeing another running while the wide one runs is an overlap.
            if handler.running.withLock({ $0 }) > 0 && (job.resources.cpu == 2 || wide.withLock({ $0 })) {
                overlapped.withLock { $0 = true }
            }
            return try await handler.handle(job)
        }
        for index in 0..<12 {
            _ = try await queue.enqueue(NewJob(queue: "work", payload: Data(), resources: ResourceRequest(cpu: index % 3 == 0 ? 2 : 1)))
        }
        let worker = JobWorker(queue: queue, handlers: ["work": checked], settings: .init(concurrency: 2, pollInterval: .milliseconds(5)))
        try await run(worker) { try await queue.stats(queue: "work").depth + queue.stats(queue: "work").inFlight == 0 }
        #expect(try await queue.list(queue: "work", status: .completed, limit: 20).count == 12)
        #expect(!overlapped.withLock { $0 })
        #expect(handler.peak.withLock { $0 } == 2, "single-CPU jobs still run two at a time")
    }

    /// A flag shared by a test and its handler (a `Mutex` cannot be handed back in a tuple).
    final class Gate: Sendable {
        private let state = Mutex(false)
        func withLock<R>(_ body: (inout Bool) -> R) -> R { state.withLock { body(&$0) } }
    }

    /// A registered one-slot worker "w" whose jobs run until `gate` opens.
    static func heldWorker(_ queue: MemoryJobQueue, heartbeat: Duration) -> (JobWorker, Handler, Gate) {
        let gate = Gate()
        let handler = Handler { _ in
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            return nil
        }
        let record = WorkerRecord(id: "w", host: "h", pid: 1, version: "1", slots: 1)
        let worker = JobWorker(queue: queue, handlers: ["work": handler], settings: .init(concurrency: 1, pollInterval: .milliseconds(5)),
                               registration: .init(registry: queue, record: record, interval: heartbeat))
        return (worker, handler, gate)
    }

    @Test("a worker that starts shutting down says it is draining and hands back its assignments at once")
    func drainingHandsBackAssignments() async throws {
        let queue = MemoryJobQueue()
        let (worker, handler, gate) = Self.heldWorker(queue, heartbeat: .seconds(60))
        _ = try await enqueue(queue, 2)
        let group = ServiceGroup(configuration: .init(services: [worker], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(300)
            while handler.running.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            // Its one slot is busy; the scheduler gives it the next job anyway (ready to start).
            let waiting = try #require(try await queue.list(queue: "work", status: .queued, limit: 1).first)
            try await queue.assign([JobAssignment(jobID: waiting.id, worker: "w")])
            await group.triggerGracefulShutdown()
            var handedBack = false
            while !handedBack, ContinuousClock.now < deadline {
                let draining = try await queue.workers().first?.load.draining == true
                let assignedTo = try await queue.job(id: waiting.id)?.assignedTo
                handedBack = draining && assignedTo == nil
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(handedBack, "while its running job still drains")
            #expect(handler.running.withLock { $0 } == 1)
            gate.withLock { $0 = true }
            try await tasks.waitForAll()
        }
        #expect(try await queue.list(queue: "work", status: .completed, limit: 5).count == 1)
        #expect(try await queue.workers().isEmpty, "and deregisters once done")
    }

    @Test("a worker an operator drains finishes its job, claims no more, and stays until shut down")
    func operatorDrain() async throws {
        let queue = MemoryJobQueue()
        let (worker, handler, gate) = Self.heldWorker(queue, heartbeat: .milliseconds(20))
        _ = try await enqueue(queue, 3)
        let group = ServiceGroup(configuration: .init(services: [worker], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(300)
            while handler.running.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(try await queue.requestDrain(workerID: "w"))
            while try await queue.workers().first?.load.draining != true, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            gate.withLock { $0 = true }
            // Its running job finishes; the other two stay queued, and the worker stays registered.
            while try await queue.list(queue: "work", status: .completed, limit: 5).count < 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await queue.stats(queue: "work").depth == 2)
            #expect(try await queue.workers().first?.load.draining == true, "still there, draining")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await queue.workers().isEmpty, "and deregisters at shutdown")
    }

    @Test("a worker leases only as many jobs as it has free slots")
    func claimsOnlyWithCapacity() async throws {
        let queue = MemoryJobQueue()
        _ = try await enqueue(queue, 10)
        let gate = Mutex(false)
        let handler = Handler { _ in
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler], settings: .init(concurrency: 3, pollInterval: .milliseconds(5)))
        try await run(worker) {
            let stats = try await queue.stats(queue: "work")
            if handler.running.withLock({ $0 }) == 3 {
                // Every slot is busy: the other 7 stay queued for other workers.
                #expect(stats.inFlight == 3 && stats.depth == 7)
                gate.withLock { $0 = true }
            }
            return stats.depth + stats.inFlight == 0
        }
        #expect(try await queue.list(queue: "work", status: .completed, limit: 20).count == 10)
    }

    @Test("weighted fair share: uploads at weight 10 are not starved by a large batch at weight 1, nor starve it")
    func fairShare() async throws {
        let queue = MemoryJobQueue()
        for index in 0..<200 { _ = try await queue.enqueue(NewJob(queue: "batch", payload: Data("b\(index)".utf8))) }
        for index in 0..<20 { _ = try await queue.enqueue(NewJob(queue: "uploads", payload: Data("u\(index)".utf8))) }
        let order = Mutex<[String]>([])
        let handler = Handler { job in
            order.withLock { $0.append(job.queue) }
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["batch": handler, "uploads": handler],
                               settings: .init(concurrency: 1, pollInterval: .milliseconds(5),
                                               weights: ["uploads": 10, "batch": 1]))
        try await run(worker) { try await queue.stats(queue: "batch").depth + queue.stats(queue: "uploads").depth == 0 }
        let served = order.withLock { $0 }
        let lastUpload = try #require(served.lastIndex(of: "uploads"))
        // 10:1 serves the 20 uploads within the first 22 jobs (taking turns would need 40).
        #expect(lastUpload < 24, "\(served.prefix(30))")
        // And the batch still moves meanwhile.
        #expect(served.prefix(lastUpload).filter { $0 == "batch" }.count >= 1)
        #expect(served.count == 220)
    }

    @Test("a failure is retried, a permanent one goes straight to the dead letters")
    func failures() async throws {
        let queue = MemoryJobQueue(backoff: RetryBackoff(base: .milliseconds(1), cap: .milliseconds(1)))
        let ids = try await enqueue(queue, 2)
        let attempts = Mutex(0)
        let handler = Handler { job in
            if job.payload == Data("0".utf8) { throw JobFailure.permanent("not an image") }
            attempts.withLock { $0 += 1 }
            if job.attempts < 2 { throw FlakyError() }
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler], settings: .init(concurrency: 1, pollInterval: .milliseconds(5)))
        try await run(worker) { try await queue.stats(queue: "work").depth + queue.stats(queue: "work").inFlight == 0 }
        let poisoned = try await queue.job(id: ids[0])
        #expect(poisoned?.status == .dead && poisoned?.attempts == 1 && poisoned?.lastError == "not an image")
        let flaky = try await queue.job(id: ids[1])
        #expect(flaky?.status == .completed && flaky?.attempts == 2)
    }

    @Test("heartbeats keep a job that outlives its lease")
    func heartbeats() async throws {
        // Lease time is the queue's (manual) clock: the job moves it 60 s on, in 10 s steps,
        // each only after a heartbeat has renewed the 30 s lease. Without heartbeats the lease
        // would run out at the third step and completing would fail.
        let clock = ManualJobClock()
        let queue = MemoryJobQueue(clock: clock)
        let ids = try await enqueue(queue, 1)
        let handler = Handler { job in
            for _ in 0..<6 {
                let before = try await queue.job(id: job.id)?.leaseExpiresAt
                clock.advance(.seconds(10))
                let deadline = ContinuousClock.now + .seconds(120)
                while try await queue.job(id: job.id)?.leaseExpiresAt == before {
                    guard ContinuousClock.now < deadline else { throw FlakyError() }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler],
                               settings: .init(concurrency: 1, lease: .seconds(30), pollInterval: .milliseconds(10),
                                               heartbeat: .milliseconds(20)))
        try await run(worker) { try await queue.job(id: ids[0])?.status.isFinal == true }
        let job = try await queue.job(id: ids[0])
        #expect(job?.status == .completed && job?.attempts == 1)
    }

    @Test("a worker judges others silent only after its own beats have answered for three periods without a gap")
    func heartbeatStreak() {
        var streak = HeartbeatStreak(interval: .seconds(1), beats: 3)
        let start = ContinuousClock.now
        let at = { (seconds: Double) in start + .milliseconds(Int(seconds * 1000)) }
        // Beats a period apart: the streak is long enough at the third period.
        #expect([0, 1, 2, 3, 4].map { streak.answered(at: at($0)) } == [false, false, false, true, true])
        // An outage: the first beat back (8 s on) starts a new streak; the others get their turn.
        #expect([12, 13, 14, 15].map { streak.answered(at: at($0)) } == [false, false, false, true])
        // A slow beat (1.9 periods late) is no gap; one of 2.5 is.
        #expect(streak.answered(at: at(16.9)) && !streak.answered(at: at(19.4)))
    }

    @Test("a run past the run limit is stopped and retried; the next run, within it, completes")
    func runLimit() async throws {
        let queue = MemoryJobQueue(backoff: RetryBackoff(base: .milliseconds(1), cap: .milliseconds(1)))
        let ids = try await enqueue(queue, 1)
        let handler = Handler { job in
            // The first run waits on something that never answers (heartbeats would keep its
            // lease for ever); the second is quick.
            if job.attempts == 1 { try await Task.sleep(for: .seconds(600)) }
            return Data("done".utf8)
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler],
                               settings: .init(concurrency: 1, lease: .seconds(30), pollInterval: .milliseconds(10),
                                               heartbeat: .milliseconds(20), runLimit: .milliseconds(300)))
        let begun = ContinuousClock.now
        try await run(worker) { try await queue.job(id: ids[0])?.status.isFinal == true }
        #expect(ContinuousClock.now - begun < .seconds(120))
        let job = try await queue.job(id: ids[0])
        #expect(job?.status == .completed && job?.attempts == 2 && job?.result == Data("done".utf8), "\(String(describing: job))")
    }

    @Test("a job stopped at the run limit on its last attempt goes to the dead letters, saying why")
    func runLimitDeadLetters() async throws {
        let queue = MemoryJobQueue()
        let ids = try await enqueue(queue, 1, maxAttempts: 1)
        let handler = Handler { _ in
            try await Task.sleep(for: .seconds(600))
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler],
                               settings: .init(concurrency: 1, pollInterval: .milliseconds(10), runLimit: .milliseconds(200)))
        try await run(worker) { try await queue.job(id: ids[0])?.status.isFinal == true }
        let job = try await queue.job(id: ids[0])
        #expect(job?.status == .dead && job?.lastError == "ran past the run limit of 0.2 seconds", "\(String(describing: job))")
    }

    /// Runs until cancelled, reporting a count as its progress every 20 ms.
    struct Endless: JobHandler {
        func handle(_ job: Job) async throws -> Data? { try await handle(job, progress: JobProgress()) }
        func handle(_ job: Job, progress: JobProgress) async throws -> Data? {
            for count in 1... {
                progress.report(Data("\(count)".utf8))
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
    }

    @Test("a job of an endless queue outlives the run limit, its progress is stored with the job, and at shutdown it is handed back at once")
    func endlessQueue() async throws {
        let queue = MemoryJobQueue()
        let ids = try await enqueue(queue, 1)
        let worker = JobWorker(queue: queue, handlers: ["work": Endless()],
                               settings: .init(concurrency: 1, pollInterval: .milliseconds(10), drainTimeout: .seconds(300),
                                               runLimit: .milliseconds(100), endlessQueues: ["work"], progressInterval: .milliseconds(50)))
        let begun = ContinuousClock.now
        try await run(worker) {
            // Twenty reports: 400 ms, four run limits, and the job still runs.
            let job = try await queue.job(id: ids[0])
            return job?.status == .running && (job?.result.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0) >= 20
        }
        // Far less than the drain time: a job that never finishes is not waited for.
        #expect(ContinuousClock.now - begun < .seconds(120))
        let job = try await queue.job(id: ids[0])
        #expect(job?.status == .queued && job?.attempts == 0 && job?.lastError == nil, "\(String(describing: job))")
    }

    @Test("on shutdown a job that will not finish in time is handed back, its attempt not counted")
    func drainThenHandBack() async throws {
        let queue = MemoryJobQueue()
        let ids = try await enqueue(queue, 1)
        let started = Mutex(false)
        let handler = Handler { _ in
            started.withLock { $0 = true }
            try await Task.sleep(for: .seconds(600))
            return nil
        }
        let worker = JobWorker(queue: queue, handlers: ["work": handler],
                               settings: .init(concurrency: 1, pollInterval: .milliseconds(10), drainTimeout: .milliseconds(200)))
        let begun = ContinuousClock.now
        try await run(worker) { started.withLock { $0 } }
        // Far less than the job would take: the drain time cut it short.
        #expect(ContinuousClock.now - begun < .seconds(120))
        let job = try await queue.job(id: ids[0])
        #expect(job?.status == .queued && job?.attempts == 0 && job?.leaseToken == nil)
    }
}
struct FlakyError: Error {}
