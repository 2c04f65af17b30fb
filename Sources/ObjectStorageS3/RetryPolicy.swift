public import ObjectStorage
/// Exponential back-off with full jitter for transient failures: attempt `n` waits a random
/// time up to `min(maxDelay, baseDelay × 2ⁿ⁻¹)`, so clients that failed together do not retry together.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The ceiling of the first wait.
    public var baseDelay: Duration
    /// The longest wait.
    public var maxDelay: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The most a retry after `failures` failures waits.
    public func delayCeiling(afterFailures failures: Int) -> Duration {
        let factor = 1 << min(30, max(0, failures - 1))
        return min(maxDelay, baseDelay * factor)
    }

    /// Runs `body`, retrying it while it fails with a retryable error and attempts remain.
    /// Errors that are not retryable (a 4xx, say) are thrown at once.
    public func run<T>(_ body: () async throws(ObjectStoreError) -> T) async throws(ObjectStoreError) -> T {
        var failures = 0
        while true {
            do {
                return try await body()
            } catch {
                failures += 1
                guard error.isRetryable, failures < maxAttempts else { throw error }
                let ceiling = delayCeiling(afterFailures: failures)
                let nanos = Int64.random(in: 0...max(0, ceiling.nanoseconds))
                do { try await Task.sleep(for: .nanoseconds(nanos)) } catch { throw .transient(cause: "cancelled") }
            }
        }
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
