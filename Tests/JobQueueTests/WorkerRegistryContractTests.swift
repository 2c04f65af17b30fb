import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Testing
import TestSupport

@Suite("WorkerRegistry contract")
struct WorkerRegistryContractTests {
    @Test("in memory", arguments: WorkerRegistryContract.allCases)
    func memory(_ contractCase: WorkerRegistryContract) async throws {
        try await WorkerRegistryContract.run(contractCase) { clock in MemoryJobQueue(clock: clock) }
    }

    @Test("SQLite", arguments: WorkerRegistryContract.allCases)
    func sqlite(_ contractCase: WorkerRegistryContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-registry-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await WorkerRegistryContract.run(contractCase) { clock in try SQLiteJobQueue(path: folder + "/queue.db", clock: clock) }
    }

    @Test("PostgreSQL", .enabled(if: TestPostgres.url != nil), arguments: WorkerRegistryContract.allCases)
    func postgres(_ contractCase: WorkerRegistryContract) async throws {
        try await TestPostgres.withClient { client in
            let table = "job_\(UInt32.random(in: 0...UInt32.max))"
            try await WorkerRegistryContract.run(contractCase) { clock in
                try PostgresJobQueue(client: client, table: table, clock: clock)
            } prepare: { registry in
                try await (registry as! PostgresJobQueue).migrate()
            }
        }
    }
}
