import Foundation
import JobQueue
import JobQueueSQLite
import Testing
import TestSupport

@Suite("darkroom jobs retry and cancel")
struct JobsCommandTests {
    static func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
    }

    @Test("retry puts a dead job back, cancel ends a queued one; both print the job and are audited; a missing job is a usage error")
    func retryAndCancel() async throws {
        let root = try CLI.scratch()
        let path = root.appendingPathComponent("queue.db").path
        let queueOption = ["--queue", "sqlite:\(path)"]
        let queue = try SQLiteJobQueue(path: path)
        let dead = try await queue.enqueue(NewJob(queue: "pipelines", payload: Data("{}".utf8), maxAttempts: 1))
        let lease = try #require(try await queue.claim(from: "pipelines", leaseFor: .seconds(30)))
        #expect(try await queue.fail(lease, error: "broken").status == .dead)
        let waiting = try await queue.enqueue(NewJob(queue: "pipelines", payload: Data("{}".utf8), delay: .seconds(3600)))

        let retried = try await CLI.run(["jobs", "retry", dead.id] + queueOption)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try Self.json(retried)["status"] as? String == "queued")
        let cancelled = try await CLI.run(["jobs", "cancel", waiting.id] + queueOption)
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(try Self.json(cancelled)["status"] as? String == "cancelled")
        #expect(try await queue.job(id: waiting.id)?.status == .cancelled)

        let audit = try await queue.auditEntries(limit: 10).map { "\($0.actor) \($0.action) \($0.target)" }
        #expect(Set(audit) == ["cli job.retry \(dead.id)", "cli job.cancel \(waiting.id)"], "\(audit)")

        let missing = try await CLI.run(["jobs", "cancel", "no-such-job"] + queueOption)
        #expect(missing.status != 0 && missing.stderr.contains("no-such-job"), "\(missing.stderr)")
    }
}
