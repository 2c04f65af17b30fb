import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Testing
import TestSupport

/// The queue backends every contract runs on: in memory, SQLite, and PostgreSQL where
/// `make test` started one. Each run gets a store of its own (a fresh file, a fresh table).
enum QueueBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgres

    /// The backends this run can reach.
    static var available: [QueueBackend] { allCases.filter { $0 != .postgres || TestPostgres.url != nil } }

    var testDescription: String { rawValue }

    /// Opens a queue of this backend on the clock, back-off and jitter a contract gives.
    typealias Opener = @Sendable (ManualJobClock, RetryBackoff, @escaping @Sendable () -> Double) throws -> any JobScheduling

    /// Runs `body` with an opener for fresh queues of this backend and the step that readies
    /// one (PostgreSQL's migration); cleans up afterwards.
    func run(_ body: @Sendable @escaping (_ open: @escaping Opener,
                                          _ prepare: @escaping @Sendable (any JobQueue) async throws -> Void) async throws -> Void)
        async throws {
        switch self {
        case .memory:
            try await body({ clock, backoff, random in MemoryJobQueue(clock: clock, backoff: backoff, random: random) }, { _ in })
        case .sqlite:
            let folder = NSTemporaryDirectory() + "darkroom-queue-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await body({ clock, backoff, random in
                try SQLiteJobQueue(path: folder + "/queue.db", clock: clock, backoff: backoff, random: random)
            }, { _ in })
        case .postgres:
            try await TestPostgres.withClient { client in
                // A table of its own per case, so cases sharing the server do not see each other's jobs.
                let table = "job_\(UInt32.random(in: 0...UInt32.max))"
                try await body({ clock, backoff, random in
                    try PostgresJobQueue(client: client, table: table, clock: clock, backoff: backoff, random: random)
                }, { queue in try await (queue as! PostgresJobQueue).migrate() })
            }
        }
    }
}
