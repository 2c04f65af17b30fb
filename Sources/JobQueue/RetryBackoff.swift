public import Foundation

/// Exponential back-off with full jitter between attempts of a failed job.
public struct RetryBackoff: Sendable {
    /// The ceiling of the first wait.
    public var base: Duration
    /// The longest wait.
    public var cap: Duration

    /// Creates a policy.
    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// The wait before the next attempt after `attempts` attempts: `random` (0..<1) of
    /// `min(cap, base × 2^(attempts-1))`. Passing `random` keeps tests exact.
    public func delay(afterAttempts attempts: Int, random: Double) -> TimeInterval {
        let ceiling = min(cap.seconds, base.seconds * pow(2, Double(max(0, attempts - 1))))
        return ceiling * min(max(random, 0), 1)
    }
}
