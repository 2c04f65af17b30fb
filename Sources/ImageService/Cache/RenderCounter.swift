import Synchronization

/// Counts renders, so that tests and metrics can see coalescing at work.
public final class RenderCounter: Sendable {
    private let value = Mutex(0)
    /// Creates a counter at zero.
    public init() {}
    func increment() { value.withLock { $0 += 1 } }
    /// Renders started so far.
    public var count: Int { value.withLock { $0 } }
}
