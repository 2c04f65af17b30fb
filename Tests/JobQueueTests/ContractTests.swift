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
    @Test("every backend", .ownThread, arguments: QueueBackend.available, JobQueueContract.allCases)
    func contract(_ backend: QueueBackend, _ contractCase: JobQueueContract) async throws {
        try await backend.run { open, prepare in
            try await JobQueueContract.run(contractCase, make: open, prepare: prepare)
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
