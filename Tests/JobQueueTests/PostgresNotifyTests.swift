import Foundation
import JobQueue
import JobQueuePostgres
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
                // Jobs keep arriving until the consumer wakes: LISTEN may take a while to be in
                // place on a busy machine. Only NOTIFY can wake it (its signal is its own), and
                // its fallback poll here is two minutes.
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(200))
                        _ = try await producer.enqueue(NewJob(queue: "work", payload: Data("{}".utf8)))
                    }
                }
                let started = ContinuousClock.now
                await consumer.waitForJobs(timeout: .seconds(120))
                #expect(ContinuousClock.now - started < .seconds(60))
                let claimed = try await consumer.claim(from: "work", leaseFor: .seconds(30))
                #expect(claimed != nil)
                group.cancelAll()
            }
        }
    }
}
