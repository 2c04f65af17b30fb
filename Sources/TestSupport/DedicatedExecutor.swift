import Dispatch

/// A task executor on one serial Dispatch queue of its own: Dispatch gives such a queue an
/// overcommitting thread, outside both Swift's cooperative pool and the default root queue.
final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "darkroom.tests.dedicated")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
