import Dispatch

/// Runs async work on a thread of its own instead of Swift's cooperative pool: for tests that
/// check liveness within a bound (a worker's wake-up, a drain, fair shares). On two cores the
/// pool has two threads, and other tests that compute on them (decoding, image comparisons made
/// unoptimised) can hold both for minutes in a full run; such a test then measures them, not the
/// code under test. The work's child tasks and the actors it uses follow it to the thread.
public enum OwnThread {
    /// `body`'s result, its tasks run on a thread of their own (one per call: a test that
    /// blocks its thread, on a database file say, holds up no other).
    public static func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(DedicatedExecutor()) { try await body() }
    }
}
