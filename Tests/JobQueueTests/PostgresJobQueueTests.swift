import Foundation
import JobQueue
import JobQueuePostgres
import Testing
import PostgresNIO

@Suite("PostgreSQL job queue", .enabled(if: TestPostgres.url != nil))
struct PostgresJobQueueTests {
    @Test("jobs and leases survive a new client, as after a restart; migrating twice is harmless")
    func survivesRestart() async throws {
        let table = "job_\(UInt32.random(in: 0...UInt32.max))"
        let clock = ManualJobClock()
        let ids = try await TestPostgres.withClient { client in
            let queue = try PostgresJobQueue(client: client, table: table, clock: clock)
            try await queue.migrate()
            var ids: [String] = []
            for priority in 0..<3 { ids.append(try await queue.enqueue(NewJob(queue: "work", payload: Data([UInt8(priority)]), priority: priority)).id) }
            _ = try await queue.claim(from: "work", leaseFor: .seconds(30))  // the process dies holding this one
            return ids
        }
        try await TestPostgres.withClient { client in
            let queue = try PostgresJobQueue(client: client, table: table, clock: clock)
            try await queue.migrate()
            #expect(try await queue.stats(queue: "work") == QueueStats(depth: 2, inFlight: 1, dead: 0, oldestAge: 0))
            clock.advance(.seconds(31))
            var claimed: [String] = []
            while let lease = try await queue.claim(from: "work", leaseFor: .seconds(30)) {
                claimed.append(lease.job.id)
                try await queue.complete(lease, result: nil)
            }
            #expect(Set(claimed) == Set(ids) && claimed.count == 3)
            #expect(try await queue.job(id: ids[2])?.attempts == 2, "the orphaned lease counted as an attempt")
        }
    }

    @Test("bad URLs and table names are configuration errors")
    func configuration() throws {
        #expect(throws: JobQueueError.self) { try PostgresJobQueue.configuration(url: "mysql://x@h/db") }
        let parsed = try PostgresJobQueue.configuration(url: "postgres://user:secret@db.internal:6543/jobs")
        #expect(parsed.username == "user" && parsed.password == "secret" && parsed.database == "jobs")
    }
}
