import ImageService
import JobQueue
import Logging
import ObjectStorage

extension DarkroomConfiguration {
    /// `startupTimeout` as a duration.
    var startupLimit: Duration { .milliseconds(Int(startupTimeout * 1000)) }

    /// What `/ready` and the start wait for: the queue answers a one-row lookup and the object
    /// store a `HEAD` (of a key nobody writes, so a missing object is the healthy answer).
    func readinessMonitor(queue: any JobQueue, store: any ObjectStore, logger: Logger) -> ReadinessMonitor {
        ReadinessMonitor(checks: [
            ReadinessCheck(name: "queue", location: Self.redacted(self.queue)) {
                _ = try await queue.job(id: "darkroom-readiness-probe")
            },
            ReadinessCheck(name: "storage", location: Self.redacted(storage)) {
                _ = try await store.exists(try ObjectKey("darkroom-readiness-probe"))
            },
        ], logger: logger)
    }
}
