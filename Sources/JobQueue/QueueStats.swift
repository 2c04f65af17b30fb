import Foundation

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

    /// Creates progress from counts.
    public init(counts: [JobStatus: Int]) { self.counts = counts }
    /// All jobs in the batch.
    public var total: Int { counts.values.reduce(0, +) }
    /// Whether every job is final.
    public var isDone: Bool { counts.allSatisfy { $0.key.isFinal } }
}
