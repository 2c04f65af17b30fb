import Synchronization

/// Running totals of requests and cache lookups, and the durations of recent requests, for
/// the console's overview (Prometheus has the same numbers, but the console must not need one).
public final class RequestTally: Sendable {
    /// What the tally holds at one moment.
    public struct Snapshot: Sendable, Equatable {
        public var requests: Int
        public var cacheHits: Int
        public var cacheMisses: Int
        /// Durations in seconds of the requests since the previous snapshot (up to 4,096 of them).
        public var durations: [Double]
    }

    private struct State {
        var requests = 0
        var cacheHits = 0
        var cacheMisses = 0
        var durations: [Double] = []
    }

    private let state = Mutex(State())
    /// The most durations kept between snapshots: enough for a percentile, bounded in memory.
    static let keptDurations = 4096

    /// Creates an empty tally.
    public init() {}

    func request(seconds: Double) {
        state.withLock { state in
            state.requests += 1
            if state.durations.count < Self.keptDurations {
                state.durations.append(seconds)
            } else {
                // Past the bound, replace a pseudo-random slot: a fair sample of the window.
                state.durations[state.requests % Self.keptDurations] = seconds
            }
        }
    }

    func cache(hit: Bool) {
        state.withLock { state in
            if hit { state.cacheHits += 1 } else { state.cacheMisses += 1 }
        }
    }

    /// The totals so far, and the durations since the last call (which it clears).
    func take() -> Snapshot {
        state.withLock { state in
            defer { state.durations.removeAll(keepingCapacity: true) }
            return Snapshot(requests: state.requests, cacheHits: state.cacheHits, cacheMisses: state.cacheMisses,
                            durations: state.durations)
        }
    }
}
