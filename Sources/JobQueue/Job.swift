public import Foundation
public import Scheduling

/// Where a job is in its life.
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its `runAt` and a worker.
    case queued
    /// Leased to a worker.
    case running
    /// Finished, with a result.
    case completed
    /// Out of attempts (or poisoned): kept aside until someone retries it.
    case dead
    /// Cancelled before it finished.
    case cancelled

    /// Whether the job will not run again by itself.
    public var isFinal: Bool { self == .completed || self == .dead || self == .cancelled }
}

/// One durable unit of work. The queue stores it; workers lease it.
public struct Job: Sendable, Equatable, Codable {
    public var id: String
    /// The queue it belongs to, such as `pipelines`.
    public var queue: String
    /// What to do, as the producer encoded it (JSON for pipelines).
    public var payload: Data
    /// Higher runs first.
    public var priority: Int
    /// It may not run before this.
    public var runAt: Date
    public var status: JobStatus
    /// Claims so far, the current one included; a lease that expires counts.
    public var attempts: Int
    public var maxAttempts: Int
    public var idempotencyKey: String?
    public var batchID: String?
    /// The current lease's token and end, while running.
    public var leaseToken: String?
    public var leaseExpiresAt: Date?
    /// The registered worker that claimed it last, when the claim named one.
    public var claimedBy: String?
    public var result: Data?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// What it needs from a worker; one CPU slot unless the producer said otherwise.
    public var resources: ResourceRequest
    /// Expected work (megapixels for image jobs; 1 when unknown): with a worker's observed
    /// speed it predicts the run time `adaptive` places by.
    public var cost: Double
    /// What kind of work it is (a pipeline's name): workers keep their job durations per kind.
    public var kind: String?
    /// Jobs with the same key go to the same worker under `affinity` (the source, for its cache).
    public var affinityKey: String?
    /// The W3C `traceparent` of the span that enqueued it: the worker's spans join that trace.
    public var traceParent: String?
    /// The worker the scheduler gave it to, and that worker's GPU (device index) for a GPU job;
    /// nil while unassigned. Cleared whenever the job goes back to the queue.
    public var assignedTo: String?
    public var assignedGPU: Int?

    /// A new queued job.
    public init(id: String = UUID().uuidString, queue: String, payload: Data, priority: Int = 0, runAt: Date,
                maxAttempts: Int = 5, idempotencyKey: String? = nil, batchID: String? = nil,
                resources: ResourceRequest = ResourceRequest(), cost: Double = 1, kind: String? = nil,
                affinityKey: String? = nil, traceParent: String? = nil, now: Date) {
        self.traceParent = traceParent
        self.id = id
        self.queue = queue
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.status = .queued
        self.attempts = 0
        self.maxAttempts = max(1, maxAttempts)
        self.idempotencyKey = idempotencyKey
        self.batchID = batchID
        self.createdAt = now
        self.updatedAt = now
        self.resources = resources
        self.cost = cost
        self.kind = kind
        self.affinityKey = affinityKey
    }
}
