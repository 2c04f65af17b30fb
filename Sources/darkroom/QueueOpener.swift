import Foundation
import ImageService
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Logging
import PostgresNIO

/// Opens the job queue a command names and keeps it usable while `body` runs: PostgreSQL needs
/// its connection pool running (and the schema migrated) first; SQLite needs its folder.
enum QueueOpener {
    ///
    /// - Parameter startup: how long PostgreSQL may take to answer before the start fails.
    static func withQueue<T: Sendable>(_ text: String, connections: Int = 8, startup: Duration = .seconds(30), logger: Logger,
                                       _ body: @escaping @Sendable (any JobScheduling) async throws -> T) async throws -> T {
        let location = try JobQueueLocation(text)
        switch location {
        case .memory:
            return try await body(MemoryJobQueue())
        case let .sqlite(path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            return try await body(try SQLiteJobQueue(path: path))
        case let .postgres(url):
            var configuration = try PostgresJobQueue.configuration(url: url)
            configuration.options.maximumConnections = max(connections, 4)
            // Tagged, so that a log tells this pool's connections from the similarity index's.
            var poolLogger = logger
            poolLogger[metadataKey: "pool"] = "queue"
            let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
            return try await client.whileRunning {
                let queue = try PostgresJobQueue(client: client, logger: logger)
                try await StartupDeadline.run("queue", at: location.description, within: startup) { try await queue.migrate() }
                // Wake-ups from other processes, for as long as the queue is used.
                return try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask {
                        await queue.listen()
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try await body(queue)
                }
            }
        }
    }
}
