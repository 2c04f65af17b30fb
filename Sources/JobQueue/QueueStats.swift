public import Foundation

/// A queue at a glance, for `/v1/queues` and the gauges.
public struct QueueStats: Sendable, Equatable {
    /// Queued jobs (due or not).
    public var depth: Int
    /// Jobs leased to workers.
    public var inFlight: Int
    public var dead: Int
    /// Seconds since the oldest queued job became due; 0 when none is.
    public var oldestAge: TimeInterval

    /// Creates stats.
    public init(depth: Int, inFlight: Int, dead: Int, oldestAge: TimeInterval) {
        self.depth = depth
        self.inFlight = inFlight
        self.dead = dead
        self.oldestAge = oldestAge
    }
}

/// How far a batch has got.
public struct BatchProgress: Sendable, Equatable {
    /// Jobs by status; statuses with none are absent.
    public var counts: [JobStatus: Int]

    /// When the first job was enqueued; nil for an unknown batch.
    public var startedAt: Date?
    /// When the last job finished so far; nil when none has.
    public var lastFinishedAt: Date?

    /// Creates progress from counts.
    public init(counts: [JobStatus: Int], startedAt: Date? = nil, lastFinishedAt: Date? = nil) {
        self.counts = counts
        self.startedAt = startedAt
        self.lastFinishedAt = lastFinishedAt
    }
    /// Jobs that are final (completed, dead or cancelled).
    public var finished: Int { counts.filter { $0.key.isFinal }.values.reduce(0, +) }

    /// Seconds until every job is final, at the pace so far; nil before the first one finishes.
    public var estimatedSecondsLeft: TimeInterval? {
        guard finished > 0, let startedAt, let lastFinishedAt else { return nil }
        let perJob = max(0, lastFinishedAt.timeIntervalSince(startedAt)) / Double(finished)
        return perJob * Double(total - finished)
    }
    /// All jobs in the batch.
    public var total: Int { counts.values.reduce(0, +) }
    /// Whether every job is final.
    public var isDone: Bool { counts.allSatisfy { $0.key.isFinal } }
}
