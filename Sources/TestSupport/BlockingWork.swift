import Dispatch

/// Runs blocking work (decoding on the calling thread, waiting on a child process) off the
/// cooperative pool: on two cores the pool has two threads, and tests blocking both starve every
/// other test's tasks (a worker's heartbeat, a queue's wake-up) for as long as they run. The work
/// keeps its task's context, so its expectations are recorded against its own test.
public enum BlockingWork {
    /// `body`'s result, computed on a thread of the blocking executor.
    public static func run<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try body() }
    }

    private static let executor = BlockingExecutor()
}

/// A task executor on a concurrent Dispatch queue, whose threads are not the cooperative pool's.
private final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "darkroom.tests.blocking", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
