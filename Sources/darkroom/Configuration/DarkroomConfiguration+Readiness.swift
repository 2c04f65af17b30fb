import ImageService
import JobQueue
import Logging
import ObjectStorage
import Similarity

extension DarkroomConfiguration {
    /// `startupTimeout` as a duration.
    var startupLimit: Duration { .milliseconds(Int(startupTimeout * 1000)) }

    /// What `/ready` and the start wait for: the queue and the similarity index answer a one-row
    /// lookup, and the object store a `HEAD` (of a key nobody writes, so a missing object is the
    /// healthy answer). The index's probe also keeps its pool asking: PostgresNIO (1.33) opens
    /// a connection for a request that waited through a database restart only when another
    /// request comes.
    func readinessMonitor(queue: any JobQueue, store: any ObjectStore, index: any SimilarityIndex,
                          logger: Logger) -> ReadinessMonitor {
        ReadinessMonitor(checks: [
            ReadinessCheck(name: "queue", location: Self.redacted(self.queue)) {
                _ = try await queue.job(id: "darkroom-readiness-probe")
            },
            ReadinessCheck(name: "index", location: Self.redacted(resolvedIndex)) {
                _ = try await index.image(id: "darkroom-readiness-probe")
            },
            ReadinessCheck(name: "storage", location: Self.redacted(storage)) {
                _ = try await store.exists(try ObjectKey("darkroom-readiness-probe"))
            },
        ], logger: logger)
    }
}
