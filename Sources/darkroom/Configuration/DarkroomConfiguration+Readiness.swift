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
    /// healthy answer). The index's probe also keeps its pool asking: by PostgresNIO's (1.33)
    /// code, a pool opens a connection for a waiting request only when another request comes
    /// (or to keep a minimum, which this project does not set).
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
