import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Testing
import TestSupport

@Suite("JobScheduling contract")
struct JobSchedulingContractTests {
    @Test("in memory", arguments: JobSchedulingContract.allCases)
    func memory(_ contractCase: JobSchedulingContract) async throws {
        try await JobSchedulingContract.run(contractCase) { clock in MemoryJobQueue(clock: clock) }
    }

    @Test("SQLite", arguments: JobSchedulingContract.allCases)
    func sqlite(_ contractCase: JobSchedulingContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-scheduling-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await JobSchedulingContract.run(contractCase) { clock in try SQLiteJobQueue(path: folder + "/queue.db", clock: clock) }
    }

    @Test("PostgreSQL", .enabled(if: TestPostgres.url != nil), arguments: JobSchedulingContract.allCases)
    func postgres(_ contractCase: JobSchedulingContract) async throws {
        try await TestPostgres.withClient { client in
            let table = "job_\(UInt32.random(in: 0...UInt32.max))"
            try await JobSchedulingContract.run(contractCase) { clock in
                try PostgresJobQueue(client: client, table: table, clock: clock)
            } prepare: { queue in
                try await (queue as! PostgresJobQueue).migrate()
            }
        }
    }
}
