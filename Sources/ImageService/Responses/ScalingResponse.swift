import JobQueue
import Pipelines

/// What each queue asks of an autoscaler, as `GET /v1/scaling` writes it (KEDA reads it).
struct ScalingResponse: Encodable, Sendable {
    /// One queue's signal.
    struct Queue: Encodable, Sendable {
        let queue: String
        let depth: Int
        let inFlight: Int
        let oldestAgeSeconds: Double
        let liveWorkers: Int
        /// Null until some worker has reported a rate.
        let throughputPerWorker: Nullable<Double>
        let desiredWorkers: Int

        enum CodingKeys: String, CodingKey {
            case queue, depth
            case inFlight = "in_flight", oldestAgeSeconds = "oldest_age_seconds", liveWorkers = "live_workers"
            case throughputPerWorker = "throughput_per_worker", desiredWorkers = "desired_workers"
        }

        init(_ signal: ScalingSignal) {
            queue = signal.queue
            depth = signal.depth
            inFlight = signal.inFlight
            oldestAgeSeconds = (signal.oldestAge * 10).rounded() / 10
            liveWorkers = signal.liveWorkers
            throughputPerWorker = Nullable(signal.throughputPerWorker.map { ($0 * 1000).rounded() / 1000 })
            desiredWorkers = signal.desiredWorkers
        }

    }

    let queues: [Queue]
}
