import Foundation
public import JobQueue

/// The behaviour every ``JobQueue`` backend must share, driven by a manual clock so that leases
/// expire and back-offs elapse without sleeping.
///
/// A test builds a fresh queue per case with `make(clock, backoff, random)` and runs
/// `try await JobQueueContract.run(.leaseExpiry) { … }`; a broken promise throws ``ContractFailure``.
public enum JobQueueContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case enqueueClaimComplete, priorityAndDelay, idempotency, leaseExpiry, heartbeats, retriesWithBackoff,
         poisonQuarantine, permanentFailure, release, wakeUp, retention, batchClaims, cancel, batches, stats, separateQueues, fifoTies, concurrentClaims,
         progressReports

    public var description: String { rawValue }

    /// The back-off every case runs with: 10 s doubling to 60 s, and jitter fixed at one half.
    public static let backoff = RetryBackoff(base: .seconds(10), cap: .seconds(60))
    public static let jitter = 0.5

    public typealias Factory = @Sendable (ManualJobClock, RetryBackoff, @escaping @Sendable () -> Double) throws -> any JobQueue

    /// Runs `contractCase` against a queue from `make`, after `prepare` (a migration, say).
    public static func run(_ contractCase: JobQueueContract, make: Factory,
                           prepare: (any JobQueue) async throws -> Void = { _ in }) async throws {
        let clock = ManualJobClock()
        let queue = try make(clock, backoff, { jitter })
        try await prepare(queue)
        let payload = Data("{\"image\":\"a.jpg\"}".utf8)
        func new(_ name: String = "work", priority: Int = 0, delay: Duration = .zero, maxAttempts: Int = 3,
                 key: String? = nil, batch: String? = nil) -> NewJob {
            NewJob(queue: name, payload: payload, priority: priority, delay: delay, maxAttempts: maxAttempts,
                   idempotencyKey: key, batchID: batch)
        }

        switch contractCase {
        case .enqueueClaimComplete:
            let job = try await queue.enqueue(new())
            try ContractFailure.check(job.status == .queued && job.attempts == 0, "a new job is queued with no attempts")
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))
            try ContractFailure.check(lease?.job.id == job.id && lease?.job.status == .running && lease?.job.attempts == 1,
                      "a claim leases the job and counts the attempt")
            try ContractFailure.check(lease?.job.payload == payload, "the payload comes back as enqueued")
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "a leased job is not claimed twice")
            try await queue.complete(lease!, result: Data("done".utf8))
            let done = try await queue.job(id: job.id)
            try ContractFailure.check(done?.status == .completed && done?.result == Data("done".utf8), "a completed job keeps its result")
            try await expect(.leaseLost, "completing twice") { try await queue.complete(lease!, result: nil) }

        case .priorityAndDelay:
            let low = try await queue.enqueue(new(priority: 0))
            let high = try await queue.enqueue(new(priority: 10))
            let later = try await queue.enqueue(new(priority: 99, delay: .seconds(60)))
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30))?.job.id == high.id, "higher priority first")
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30))?.job.id == low.id, "then lower")
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "a delayed job waits")
            clock.advance(.seconds(61))
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30))?.job.id == later.id, "and runs when due")

        case .idempotency:
            let first = try await queue.enqueue(new(key: "upload-42"))
            let second = try await queue.enqueue(new(key: "upload-42"))
            try ContractFailure.check(first.id == second.id, "the same idempotency key returns the same job")
            _ = try await queue.claim(from: "work", leaseFor: .seconds(30))
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "and only one job exists")

        case .leaseExpiry:
            let job = try await queue.enqueue(new())
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            clock.advance(.seconds(31))
            try await expect(.leaseLost, "a heartbeat after expiry") { _ = try await queue.heartbeat(lease, extendBy: .seconds(30)) }
            let again = try await queue.claim(from: "work", leaseFor: .seconds(30))
            try ContractFailure.check(again?.job.id == job.id && again?.job.attempts == 2, "an expired lease returns the job, and counts an attempt")
            try await expect(.leaseLost, "the first worker completing") { try await queue.complete(lease, result: nil) }
            try await queue.complete(again!, result: nil)
            try ContractFailure.check(try await queue.job(id: job.id)?.status == .completed, "the second worker completes it")

        case .heartbeats:
            _ = try await queue.enqueue(new())
            var lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            for _ in 0..<3 {
                clock.advance(.seconds(20))
                lease = try await queue.heartbeat(lease, extendBy: .seconds(30))
            }
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "heartbeats keep the lease")
            try await queue.complete(lease, result: nil)

        case .progressReports:
            let job = try await queue.enqueue(new())
            var lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            clock.advance(.seconds(20))
            lease = try await queue.heartbeat(lease, extendBy: .seconds(30), progress: Data("{\"frames\":1}".utf8))
            lease = try await queue.heartbeat(lease, extendBy: .seconds(30), progress: Data("{\"frames\":2}".utf8))
            let running = try await queue.job(id: job.id)
            try ContractFailure.check(running?.status == .running && running?.result == Data("{\"frames\":2}".utf8),
                                      "a running job shows its newest progress report, got \(String(describing: running?.result))")
            clock.advance(.seconds(25))
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "a progress report extends the lease")
            _ = try await queue.cancel(jobID: job.id)
            try await expect(.leaseLost, "a progress report for a cancelled job") {
                _ = try await queue.heartbeat(lease, extendBy: .seconds(30), progress: Data("{}".utf8))
            }

        case .retriesWithBackoff:
            let job = try await queue.enqueue(new(maxAttempts: 3))
            var lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            var failed = try await queue.fail(lease, error: "decode failed")
            try ContractFailure.check(failed.status == .queued && failed.lastError == "decode failed", "a failure with attempts left is retried")
            try ContractFailure.check(failed.runAt == clock.now().addingTimeInterval(5), "after 10 s × jitter 0.5 (\(failed.runAt))")
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "not before its back-off")
            clock.advance(.seconds(5))
            lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            failed = try await queue.fail(lease, error: "decode failed")
            try ContractFailure.check(failed.runAt == clock.now().addingTimeInterval(10), "the back-off doubles (\(failed.runAt))")
            clock.advance(.seconds(10))
            lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            failed = try await queue.fail(lease, error: "decode failed")
            try ContractFailure.check(failed.status == .dead && failed.attempts == 3, "out of attempts, it is a dead letter")
            try ContractFailure.check(try await queue.deadLetters(queue: "work", limit: 10).map(\.id) == [job.id], "listed with the dead letters")
            let revived = try await queue.retry(deadJobID: job.id)
            try ContractFailure.check(revived.status == .queued && revived.attempts == 0, "a retried dead letter starts over")
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30))?.job.id == job.id, "and runs again")

        case .poisonQuarantine:
            let job = try await queue.enqueue(new(maxAttempts: 2))
            for _ in 0..<2 {
                _ = try await queue.claim(from: "work", leaseFor: .seconds(30))
                clock.advance(.seconds(31))  // the worker died holding it
            }
            try ContractFailure.check(try await queue.claim(from: "work", leaseFor: .seconds(30)) == nil, "a job that kills its workers is not retried forever")
            let dead = try await queue.job(id: job.id)
            try ContractFailure.check(dead?.status == .dead && dead?.attempts == 2, "it is a dead letter after its attempts (\(String(describing: dead)))")
            try ContractFailure.check(dead?.lastError?.contains("lease expired") == true, "and says why")

        case .cancel:
            let waiting = try await queue.enqueue(new())
            let running = try await queue.enqueue(new())
            try ContractFailure.check(try await queue.cancel(jobID: waiting.id).status == .cancelled, "a queued job can be cancelled")
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))
            try ContractFailure.check(lease?.job.id == running.id, "a cancelled job is not claimed")
            _ = try await queue.cancel(jobID: running.id)
            try await expect(.leaseLost, "completing a cancelled job") { try await queue.complete(lease!, result: nil) }
            try await expect(.notFound, "cancelling an unknown job") { _ = try await queue.cancel(jobID: "nope") }

        case .batches:
            for _ in 0..<3 { _ = try await queue.enqueue(new(maxAttempts: 1, batch: "b1")) }
            _ = try await queue.enqueue(new("elsewhere", batch: "b2"))
            clock.advance(.seconds(10))
            let first = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            try await queue.complete(first, result: nil)
            clock.advance(.seconds(10))
            let second = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            _ = try await queue.fail(second, error: "bad")
            let progress = try await queue.batch(id: "b1")
            // Two jobs finished 20 s after the batch started: the third needs about 10 s more.
            try ContractFailure.check(progress.estimatedSecondsLeft.map { abs($0 - 10) < 0.01 } == true,
                      "a batch estimates the time left from its pace (\(String(describing: progress.estimatedSecondsLeft)))")
            try ContractFailure.check(progress.total == 3 && progress.counts[.completed] == 1 && progress.counts[.dead] == 1,
                      "a batch counts its jobs by status (\(progress.counts))")
            try ContractFailure.check(!progress.isDone, "a batch with a queued job is not done")

        case .stats:
            _ = try await queue.enqueue(new())
            _ = try await queue.enqueue(new())
            _ = try await queue.enqueue(new(maxAttempts: 1))
            clock.advance(.seconds(7))
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            let stats = try await queue.stats(queue: "work")
            try ContractFailure.check(stats.depth == 2 && stats.inFlight == 1 && stats.dead == 0, "depth and in-flight (\(stats))")
            try ContractFailure.check(abs(stats.oldestAge - 7) < 0.01, "the oldest due job waited 7 s (\(stats.oldestAge))")
            _ = lease

        case .permanentFailure:
            let job = try await queue.enqueue(new(maxAttempts: 5))
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            let failed = try await queue.fail(lease, error: "not an image", permanent: true)
            try ContractFailure.check(failed.status == .dead && failed.lastError == "not an image",
                                      "a permanent failure goes to the dead letters at once (\(failed.status))")
            try ContractFailure.check(try await queue.deadLetters(queue: "work", limit: 10).map(\.id) == [job.id],
                                      "and is listed there")

        case .release:
            let job = try await queue.enqueue(new())
            let lease = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            let released = try await queue.release(lease)
            try ContractFailure.check(released.status == .queued && released.attempts == 0 && released.leaseToken == nil,
                                      "a released job is queued again and the attempt is not counted")
            let again = try await queue.claim(from: "work", leaseFor: .seconds(30))
            try ContractFailure.check(again?.job.id == job.id && again?.job.attempts == 1, "and is claimed again at once")
            try await expect(.leaseLost, "completing with the released lease") { try await queue.complete(lease, result: nil) }

        case .wakeUp:
            // A waiting worker wakes when a job arrives, long before its poll interval (here two
            // minutes) ends. The waiter may start late on a busy machine (the test suite runs
            // worker processes in parallel), so jobs keep arriving until it has woken.
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await queue.waitForJobs(timeout: .seconds(120)) }
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(100))
                        _ = try await queue.enqueue(new())
                    }
                }
                try await group.next()
                group.cancelAll()
            }
            try ContractFailure.check(ContinuousClock.now - started < .seconds(60), "an enqueue wakes a waiting worker")
            let quiet = ContinuousClock.now
            await queue.waitForJobs(timeout: .milliseconds(50))
            try ContractFailure.check(ContinuousClock.now - quiet < .seconds(60), "without one, the wait ends at its timeout")

        case .retention:
            let done = try await queue.enqueue(new(maxAttempts: 1))
            let dead = try await queue.enqueue(new(maxAttempts: 1))
            let waiting = try await queue.enqueue(new(maxAttempts: 1))
            let first = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            try await queue.complete(first, result: nil)
            let second = try await queue.claim(from: "work", leaseFor: .seconds(30))!
            _ = try await queue.fail(second, error: "bad")
            clock.advance(.seconds(3600))
            let recent = try await queue.enqueue(new(maxAttempts: 1))
            _ = try await queue.cancel(jobID: recent.id)
            let purged = try await queue.purge(finishedBefore: clock.now().addingTimeInterval(-60), limit: 100)
            try ContractFailure.check(purged == 1, "only finished jobs older than the cutoff go (\(purged))")
            try ContractFailure.check(try await queue.job(id: done.id) == nil, "the old completed job is gone")
            try ContractFailure.check(try await queue.job(id: dead.id)?.status == .dead, "dead letters stay")
            try ContractFailure.check(try await queue.job(id: waiting.id)?.status == .queued, "queued jobs stay")
            try ContractFailure.check(try await queue.job(id: recent.id)?.status == .cancelled, "recent ones stay")

        case .batchClaims:
            var ids: [String] = []
            for priority in [1, 5, 3, 4, 2] { ids.append(try await queue.enqueue(new(priority: priority)).id) }
            let first = try await queue.claim(from: "work", limit: 3, leaseFor: .seconds(30))
            try ContractFailure.check(first.map(\.job.id) == [ids[1], ids[3], ids[2]],
                                      "a batch claim takes the most urgent jobs, in claim order")
            try ContractFailure.check(first.allSatisfy { $0.job.status == .running && $0.job.attempts == 1 },
                                      "each claimed job is running with its attempt counted")
            let rest = try await queue.claim(from: "work", limit: 10, leaseFor: .seconds(30))
            try ContractFailure.check(rest.map(\.job.id) == [ids[4], ids[0]], "the next batch takes what is left")
            try ContractFailure.check(try await queue.claim(from: "work", limit: 10, leaseFor: .seconds(30)).isEmpty,
                                      "and then nothing")
            let lost = try await queue.complete(first.map { JobCompletion(lease: $0, result: Data($0.job.id.utf8)) })
            try ContractFailure.check(lost.isEmpty, "a batch of live leases completes")
            let again = try await queue.complete([JobCompletion(lease: first[0], result: nil),
                                                  JobCompletion(lease: rest[0], result: nil)])
            try ContractFailure.check(again == [first[0].job.id], "a lost lease is reported and the others complete")
            let done = try await queue.job(id: ids[1])
            try ContractFailure.check(done?.status == .completed && done?.result == Data(ids[1].utf8),
                                      "each keeps its own result")
            let empty = try await queue.job(id: ids[4])
            try ContractFailure.check(empty?.status == .completed && empty?.result == nil, "a nil result stays nil")

        case .separateQueues:
            let other = try await queue.enqueue(new("analysis"))
            try ContractFailure.check(try await queue.list(queue: "analysis", status: nil, limit: 10).map(\.id) == [other.id],
                                      "a queue lists its own jobs")
            try ContractFailure.check(try await queue.list(queue: "analysis", status: .dead, limit: 10).isEmpty,
                                      "and filters them by status")
            _ = try await queue.enqueue(new("thumbnails"))
            try ContractFailure.check(try await queue.claim(from: "analysis", leaseFor: .seconds(30))?.job.id == other.id, "queues do not mix")
            try ContractFailure.check(try await queue.claim(from: "analysis", leaseFor: .seconds(30)) == nil, "one job each")
            try ContractFailure.check(try await queue.claim(from: "thumbnails", leaseFor: .seconds(30)) != nil, "each serves its own")

        case .fifoTies:
            // Same priority, same due time, same clock reading: first in, first out.
            let ids = try await (0..<5).asyncMap { _ in try await queue.enqueue(new()).id }
            var claimed: [String] = []
            while let lease = try await queue.claim(from: "work", leaseFor: .seconds(30)) { claimed.append(lease.job.id) }
            try ContractFailure.check(claimed == ids, "ties are claimed in the order they were enqueued")

        case .concurrentClaims:
            for _ in 0..<40 { _ = try await queue.enqueue(new()) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var ids: [String] = []
                        while let lease = try await queue.claim(from: "work", leaseFor: .seconds(30)) {
                            ids.append(lease.job.id)
                            try await queue.complete(lease, result: nil)
                        }
                        return ids
                    }
                }
                return try await group.reduce([], +)
            }
            try ContractFailure.check(claimed.count == 40 && Set(claimed).count == 40, "8 workers claim 40 jobs exactly once each (\(claimed.count))")
        }
    }

    private enum Kind { case leaseLost, notFound }

    private static func expect(_ kind: Kind, _ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as JobQueueError {
            switch (kind, error) {
            case (.leaseLost, .leaseLost), (.notFound, .notFound): return
            default: throw ContractFailure("\(what): expected \(kind), got \(error)")
            }
        }
        throw ContractFailure("\(what): expected \(kind), but it succeeded")
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
