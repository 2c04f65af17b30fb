import Foundation
import Logging
import PostgresNIO
import PostgresQuerying
import Synchronization
import Testing

/// The test database (scripts/test-servers starts it).
private let testDatabaseURL = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]

@Suite("Queries on live connections", .enabled(if: testDatabaseURL != nil))
struct LiveQueryTests {
    static let logger = Logger(label: "test.postgres")

    /// The test database's address, as (host, port, user, password, database).
    static func address() throws -> (String, Int, String, String?, String) {
        let text = try #require(testDatabaseURL)
        let parsed = try #require(URLComponents(string: text))
        return (try #require(parsed.host), parsed.port ?? 5432, try #require(parsed.user), parsed.password,
                String(parsed.path.dropFirst()))
    }

    /// Runs `body` with a running client on the test database, stopped afterwards.
    static func withClient<T: Sendable>(_ body: @Sendable @escaping (PostgresClient) async throws -> T) async throws -> T {
        let (host, port, user, password, database) = try address()
        let client = PostgresClient(configuration: .init(host: host, port: port, username: user, password: password,
                                                         database: database, tls: .disable), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// The server-side process id of `connection`.
    static func backend(of connection: PostgresConnection) async throws -> Int32 {
        var pid: Int32 = 0
        for try await value in try await connection.liveQuery("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) { pid = value }
        return pid
    }

    /// What `body` ended with, or nil when it had not ended within `limit`. Without the check,
    /// the query below is written to a closed channel, dropped, and waits for ever (PostgresNIO
    /// 1.33), ignoring cancellation, so neither a task group nor a time limit could end it: it is
    /// left parked in a task of its own and the test fails instead of hanging the suite.
    static func outcome<T: Sendable>(within limit: Duration,
                                     _ body: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        await withCheckedContinuation { continuation in
            let resumed = Mutex(false)
            let finish: @Sendable (Result<T, any Error>?) -> Void = { outcome in
                if resumed.withLock({ done in defer { done = true }; return !done }) { continuation.resume(returning: outcome) }
            }
            Task {
                do { finish(.success(try await body())) } catch { finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                finish(nil)
            }
        }
    }

    @Test("a query on a connection the server has closed fails at once instead of waiting for ever")
    func closedConnection() async throws {
        try await Self.withClient { client in
            let (host, port, user, password, database) = try Self.address()
            let connection = try await PostgresConnection.connect(
                configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: .disable),
                id: 1, logger: Self.logger)
            let pid = try await Self.backend(of: connection)
            // The database ends that connection's process, as a restart does.
            try await client.withConnection { other in
                try await other.liveQuery("SELECT pg_terminate_backend(\(pid))", logger: Self.logger)
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while !connection.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(connection.isClosed)
            // Well after the close, as the scheduler's held connection is at its next renewal.
            try await Task.sleep(for: .milliseconds(200))
            let outcome = await Self.outcome(within: .seconds(20)) {
                try await connection.liveQuery("SELECT 1", logger: Self.logger)
            }
            switch outcome {
            case .failure(let error as PostgresConnectionClosed): _ = error
            case nil: Issue.record("the query on the closed connection had not answered after 20 s")
            case let other?: Issue.record("expected PostgresConnectionClosed, got \(other)")
            }
        }
    }

    struct Refused: Error {}

    @Test("a transaction commits its statements together; a failing body rolls them back and its own error comes out")
    func transactions() async throws {
        let table = "live_\(UInt32.random(in: 0...UInt32.max))"
        try await Self.withClient { client in
            try await client.withConnection { connection in
                try await connection.liveQuery("CREATE TABLE \(unescaped: table) (value INT)", logger: Self.logger)
            }
            try await client.withLiveTransaction(logger: Self.logger) { connection in
                try await connection.liveQuery("INSERT INTO \(unescaped: table) VALUES (1)", logger: Self.logger)
                try await connection.liveQuery("INSERT INTO \(unescaped: table) VALUES (2)", logger: Self.logger)
            }
            await #expect(throws: Refused.self) {
                try await client.withLiveTransaction(logger: Self.logger) { connection in
                    try await connection.liveQuery("INSERT INTO \(unescaped: table) VALUES (3)", logger: Self.logger)
                    throw Refused()
                }
            }
            let values = try await client.withConnection { connection in
                var values: [Int] = []
                for try await value in try await connection.liveQuery("SELECT value FROM \(unescaped: table) ORDER BY value",
                                                                      logger: Self.logger).decode(Int.self) { values.append(value) }
                try await connection.liveQuery("DROP TABLE \(unescaped: table)", logger: Self.logger)
                return values
            }
            #expect(values == [1, 2])
        }
    }
}
