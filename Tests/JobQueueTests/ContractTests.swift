import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("JobQueue contract")
struct ContractTests {
    @Test("in memory", arguments: JobQueueContract.allCases)
    func memory(_ contractCase: JobQueueContract) async throws {
        try await JobQueueContract.run(contractCase) { clock, backoff, random in
            MemoryJobQueue(clock: clock, backoff: backoff, random: random)
        }
    }

    @Test("SQLite", arguments: JobQueueContract.allCases)
    func sqlite(_ contractCase: JobQueueContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-queue-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await JobQueueContract.run(contractCase) { clock, backoff, random in
            try SQLiteJobQueue(path: folder + "/queue.db", clock: clock, backoff: backoff, random: random)
        }
    }

    @Test("PostgreSQL", .enabled(if: TestPostgres.url != nil), arguments: JobQueueContract.allCases)
    func postgres(_ contractCase: JobQueueContract) async throws {
        try await TestPostgres.withClient { client in
            // A table of its own per case, so cases sharing the server do not see each other's jobs.
            let table = "job_\(UInt32.random(in: 0...UInt32.max))"
            try await JobQueueContract.run(contractCase) { clock, backoff, random in
                try PostgresJobQueue(client: client, table: table, clock: clock, backoff: backoff, random: random)
            } prepare: { queue in
                try await (queue as! PostgresJobQueue).migrate()
            }
        }
    }
}

/// The PostgreSQL cluster `scripts/test-servers` starts (`make test` does).
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]

    /// Runs `body` with a client that is running, and stops it afterwards.
    static func withClient<T: Sendable>(_ body: @Sendable @escaping (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try PostgresJobQueue.configuration(url: url!),
                                    backgroundLogger: Logger(label: "test.postgres"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
