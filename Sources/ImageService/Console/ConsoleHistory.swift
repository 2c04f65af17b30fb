public import Foundation
public import ImageProcessing
public import JobQueue
import Pipelines
public import ServiceLifecycle
import Synchronization

/// The last hour of the numbers the console's overview charts, sampled every 10 seconds in
/// memory: requests and jobs per second, latency, cache hits, pool saturation, and each
/// queue's depth and oldest age. A restart starts a new hour.
public final class ConsoleHistory: Service, Sendable {
    /// One sample.
    public struct Sample: Sendable, Equatable {
        public var at: Date
        public var requestsPerSecond: Double
        public var jobsPerSecond: Double
        /// Latency percentiles of the window's requests, in milliseconds; nil with no requests.
        public var p50: Double?
        public var p99: Double?
        /// Hits over lookups since the previous sample; nil with no lookups.
        public var cacheHitRatio: Double?
        /// Running plus queued pixel work over the pool's threads (above 1 means waiting).
        public var poolSaturation: Double
        /// Per queue: depth and oldest age in seconds.
        public var queues: [String: QueueStats]
    }

    /// Samples kept: an hour at one every 10 seconds.
    public static let capacity = 360
    let interval: Duration
    let tally: RequestTally
    let pool: PixelPool
    let queue: (any JobScheduling)?
    private let state = Mutex<(samples: [Sample], previous: RequestTally.Snapshot?, previousAt: ContinuousClock.Instant?)>(([], nil, nil))

    /// Creates the history over the service's tally, pool and (when the jobs API is on) queue.
    public init(tally: RequestTally, pool: PixelPool, queue: (any JobScheduling)?, interval: Duration = .seconds(10)) {
        self.tally = tally
        self.pool = pool
        self.queue = queue
        self.interval = interval
    }

    /// The samples, oldest first.
    public var samples: [Sample] { state.withLock { $0.samples } }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    // A queue that is briefly unreachable leaves a gap, not a stopped history.
                    try? await self.sample()
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Takes one sample now.
    func sample() async throws {
        var queues: [String: QueueStats] = [:]
        var jobsPerSecond = 0.0
        if let queue {
            for name in WireFormat.queues { queues[name] = try await queue.stats(queue: name) }
            jobsPerSecond = try await queue.workers().filter(\.alive).compactMap(\.load.jobsPerSecond).reduce(0, +)
        }
        let snapshot = tally.take()
        let now = ContinuousClock.now
        let load = pool.load
        state.withLock { state in
            let elapsed = state.previousAt.map { (now - $0).seconds } ?? 0
            let previous = state.previous
            let requests = snapshot.requests - (previous?.requests ?? snapshot.requests)
            let hits = snapshot.cacheHits - (previous?.cacheHits ?? 0)
            let lookups = hits + snapshot.cacheMisses - (previous?.cacheMisses ?? 0)
            let sorted = snapshot.durations.sorted()
            let sample = Sample(
                at: Date(), requestsPerSecond: elapsed > 0 ? Double(requests) / elapsed : 0, jobsPerSecond: jobsPerSecond,
                p50: Self.percentile(sorted, 0.50).map { $0 * 1000 }, p99: Self.percentile(sorted, 0.99).map { $0 * 1000 },
                cacheHitRatio: lookups > 0 ? Double(hits) / Double(lookups) : nil,
                poolSaturation: Double(load.running + load.queued) / Double(max(1, load.threads)), queues: queues)
            state.samples.append(sample)
            if state.samples.count > Self.capacity { state.samples.removeFirst(state.samples.count - Self.capacity) }
            state.previous = snapshot
            state.previousAt = now
        }
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }
}
