public import Foundation
public import Logging
public import ServiceLifecycle

/// Deletes completed and cancelled jobs once they are older than `retention`, a batch at a
/// time, every `interval`, so the hot table stays small. Dead letters stay until retried.
///
/// Harmless to run in every process: batches skip rows another process is deleting.
public struct QueueRetention: Service {
    let queue: any JobQueue
    let retention: Duration
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    /// Creates the service.
    public init(queue: any JobQueue, retention: Duration, interval: Duration = .seconds(3600), batchSize: Int = 1000,
                logger: Logger = Logger(label: "darkroom.queue")) {
        self.queue = queue
        self.retention = retention
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { _ = await sweep() }
    }

    /// Purges until a batch comes back short; returns how many jobs went.
    public func sweep(now: Date = Date()) async -> Int {
        let cutoff = now.addingTimeInterval(-Double(retention.components.seconds))
        var total = 0
        do {
            while !Task.isCancelled {
                let deleted = try await queue.purge(finishedBefore: cutoff, limit: batchSize)
                total += deleted
                if deleted < batchSize { break }
            }
        } catch {
            logger.warning("retention sweep failed", metadata: ["error": "\(error)"])
        }
        if total > 0 { logger.info("retention removed finished jobs", metadata: ["count": "\(total)"]) }
        return total
    }
}
