public import Foundation
import Synchronization

/// What a queue backend decides with, whatever it stores jobs in: its clock, the retry
/// back-off and the jitter for it, and the signal that wakes its idle workers.
public final class JobQueueRules: Sendable {
    /// The time every transition is stamped with.
    public let clock: any JobClock
    /// How long a failed job waits before its next attempt.
    public let backoff: RetryBackoff
    /// Jitter for the back-off, in `0..<1`; fixed in tests.
    public let random: @Sendable () -> Double
    /// Wakes this process's workers waiting in `waitForJobs`.
    package let signal = JobSignal()
    /// When this process last returned expired leases to the queue.
    private let lastReap = Mutex(Date.distantPast)

    /// Rules with a clock, a back-off and a jitter source.
    public init(clock: any JobClock, backoff: RetryBackoff, random: @escaping @Sendable () -> Double) {
        self.clock = clock
        self.backoff = backoff
        self.random = random
    }

    /// Whether a claim at `now` should first return expired leases to the queue: at most once
    /// a second per queue object, on every backend, so the claim path does not pay for a scan
    /// on every call while a dead worker's jobs still come back within a second of a claim.
    package func isReapDue(now: Date) -> Bool {
        lastReap.withLock { last in
            guard now.timeIntervalSince(last) >= 1 else { return false }
            last = now
            return true
        }
    }

    /// Makes the next claim reap, whenever it comes: a worker was found dead and its leases
    /// were ended, so its jobs should go back to the queue at once.
    package func reapAtNextClaim() {
        lastReap.withLock { $0 = .distantPast }
    }
}
