import Foundation
import JobQueue
import Logging
import PostgresNIO
import Testing

@Suite("PostgreSQL wake-ups")
struct PostgresNotifyTests {
    @Test("an enqueue in one process wakes a worker waiting in another, through LISTEN/NOTIFY",
          .enabled(if: TestPostgres.url != nil))
    func crossProcessWakeUp() async throws {
        try await TestPostgres.withClient { client in
            let table = "job_\(UInt32.random(in: 0...UInt32.max))"
            // Two queue objects stand for two processes: each has its own in-process signal.
            let producer = try PostgresJobQueue(client: client, table: table)
            let consumer = try PostgresJobQueue(client: client, table: table)
            try await producer.migrate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await consumer.listen() }
                // LISTEN takes a moment to be in place; enqueue only after it is.
                try await Task.sleep(for: .milliseconds(500))
                let started = ContinuousClock.now
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    _ = try await producer.enqueue(NewJob(queue: "work", payload: Data("{}".utf8)))
                }
                await consumer.waitForJobs(timeout: .seconds(20))
                #expect(ContinuousClock.now - started < .seconds(5))
                #expect(try await consumer.claim(from: "work", leaseFor: .seconds(30)) != nil)
                group.cancelAll()
            }
        }
    }
}
