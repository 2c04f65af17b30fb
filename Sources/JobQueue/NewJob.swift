public import Foundation
public import Scheduling

/// What a producer asks the queue to run.
public struct NewJob: Sendable, Equatable {
    public var queue: String
    public var payload: Data
    /// Higher runs first.
    public var priority: Int
    /// Wait at least this long before running.
    public var delay: Duration
    public var maxAttempts: Int
    /// Enqueueing twice with the same key returns the first job instead of adding another.
    public var idempotencyKey: String?
    /// Groups jobs whose progress is reported together.
    public var batchID: String?
    /// What it needs from a worker.
    public var resources: ResourceRequest
    /// Expected work (megapixels for image jobs), for `adaptive`.
    public var cost: Double
    /// What kind of work it is (a pipeline's name).
    public var kind: String?
    /// Jobs with the same key go to the same worker under `affinity`.
    public var affinityKey: String?
    /// The W3C `traceparent` of the span that enqueued it (nil: none), so the worker's spans
    /// join the producer's trace. ``JobQueue/enqueue(_:)`` fills it from the task's current
    /// span when the producer left it nil.
    public var traceParent: String?

    /// Describes a job.
    public init(queue: String, payload: Data, priority: Int = 0, delay: Duration = .zero, maxAttempts: Int = 5,
                idempotencyKey: String? = nil, batchID: String? = nil, resources: ResourceRequest = ResourceRequest(),
                cost: Double = 1, kind: String? = nil, affinityKey: String? = nil, traceParent: String? = nil) {
        self.traceParent = traceParent
        self.resources = resources
        self.cost = cost.isFinite && cost > 0 ? cost : 1
        self.kind = kind
        self.affinityKey = affinityKey
        self.queue = queue
        self.payload = payload
        self.priority = priority
        self.delay = delay
        self.maxAttempts = maxAttempts
        self.idempotencyKey = idempotencyKey
        self.batchID = batchID
    }

    /// The job as first stored.
    package func job(now: Date) -> Job {
        Job(queue: queue, payload: payload, priority: priority, runAt: now.addingTimeInterval(delay.seconds),
            maxAttempts: maxAttempts, idempotencyKey: idempotencyKey, batchID: batchID, resources: resources, cost: cost,
            kind: kind, affinityKey: affinityKey, traceParent: traceParent, now: now)
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    package var seconds: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
