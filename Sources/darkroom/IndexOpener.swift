import Foundation
import ImageService
import JobQueuePostgres
import Logging
import PostgresNIO
import Similarity
import SimilarityPostgres
import SimilaritySQLite

/// Opens the similarity index a command names and keeps it usable while `body` runs:
/// PostgreSQL needs its connection pool running and its tables made first. Every index reports
/// its size, query latency and the duplicates it finds (``MeasuredSimilarityIndex``).
enum IndexOpener {
    ///
    /// - Parameter startup: how long PostgreSQL may take to answer before the start fails.
    static func withIndex<T: Sendable>(_ location: SimilarityIndexLocation, startup: Duration = .seconds(30), logger: Logger,
                                       executor: SimilarityExecutor,
                                       _ body: @escaping @Sendable (any SimilarityIndex) async throws -> T) async throws -> T {
        switch location {
        case .memory:
            return try await body(MeasuredSimilarityIndex(MemorySimilarityIndex(executor: executor)))
        case let .sqlite(path):
            return try await body(MeasuredSimilarityIndex(try SQLiteSimilarityIndex(path: path, executor: executor)))
        case let .postgres(url):
            // No minimum of open connections: PostgresNIO (1.33) keeps retrying to open them
            // and will not stop while it does, so a start against a database nobody answers
            // could not end at its deadline.
            let configuration = try PostgresJobQueue.configuration(url: url)
            // Tagged, so that a log tells this pool's connections from the queue's.
            var poolLogger = logger
            poolLogger[metadataKey: "pool"] = "index"
            let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
            return try await client.whileRunning {
                let index = try PostgresSimilarityIndex(client: client, logger: logger, executor: executor)
                try await StartupDeadline.run("index", at: location.description, within: startup) { try await index.migrate() }
                return try await body(MeasuredSimilarityIndex(index))
            }
        }
    }
}
