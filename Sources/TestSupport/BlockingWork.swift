import Dispatch

/// Runs blocking work (decoding on the calling thread, waiting on a child process) off the
/// cooperative pool: on two cores the pool has two threads, and tests blocking both starve every
/// other test's tasks (a worker's heartbeat, a queue's wake-up) for as long as they run. The work
/// keeps its task's context, so its expectations are recorded against its own test.
///
/// Each call gets a thread of its own (a serial Dispatch queue, which Dispatch backs with an
/// overcommitting thread). A concurrent queue would not do: it shares Dispatch's default root
/// queue, as wide as the cores, with the timers that wake every `Task.sleep` in the process, so
/// two blocked jobs there delayed every sleeping task of every test.
public enum BlockingWork {
    /// `body`'s result, computed on a thread of its own.
    public static func run<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(DedicatedExecutor()) { try body() }
    }
}
