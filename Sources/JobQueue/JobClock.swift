public import Foundation
import Synchronization

/// Time as the queue sees it. Tests pass a ``ManualJobClock`` and move it by hand, so leases
/// expire and back-offs elapse without sleeping.
public protocol JobClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemJobClock: JobClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class ManualJobClock: JobClock {
    private let current: Mutex<Date>

    /// Starts at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(_ duration: Duration) { current.withLock { $0 = $0.addingTimeInterval(duration.seconds) } }
}
