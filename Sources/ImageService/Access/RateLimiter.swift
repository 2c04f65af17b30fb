import Foundation
import Synchronization

/// A token bucket per API key: each key may burst to twice its rate, then refills at its rate.
/// Kept per node: a cluster of N nodes lets a key through at up to N times its rate, which is
/// what a load balancer spreading one client's requests expects.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let now: @Sendable () -> ContinuousClock.Instant

    /// Creates the limiter; `now` is the clock (tests pass their own).
    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// Takes one token from `key`'s bucket at `rate` per second; answers nil when the request
    /// may go, or the whole seconds until a token is there.
    func take(_ key: String, rate: Double) -> Int? {
        guard rate > 0 else { return nil }
        let capacity = max(1, rate * 2)
        let instant = now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: instant)
            bucket.tokens = min(capacity, bucket.tokens + (instant - bucket.updated).seconds * rate)
            bucket.updated = instant
            defer {
                // A bucket untouched for a minute is full again and carries nothing: forget
                // those, so keys that stop calling do not grow the table.
                if buckets.count > 10_000 { buckets = buckets.filter { instant - $0.value.updated < .seconds(60) } }
            }
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return Int(((1 - bucket.tokens) / rate).rounded(.up))
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }
}
