import Foundation

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

    /// A new queued job.
    public init(id: String = UUID().uuidString, queue: String, payload: Data, priority: Int = 0, runAt: Date,
                maxAttempts: Int = 5, idempotencyKey: String? = nil, batchID: String? = nil, now: Date) {
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
    }
}
