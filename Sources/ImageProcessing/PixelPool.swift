public import Foundation

/// A fixed set of threads for blocking pixel work, with a bounded waiting line.
///
/// libvips calls block their thread for milliseconds to seconds, so they must never run on
/// Swift's cooperative pool or on NIO event loops. Work submitted here runs on one of
/// `threads` dedicated threads; when all are busy it waits in a line of at most `maxQueued`
/// entries, and past that ``run(_:)`` fails at once with ``ProcessingError/overloaded`` so
/// that callers can shed load (HTTP 429/503) instead of piling up memory.
public final class PixelPool: @unchecked Sendable {
    /// A snapshot of the pool's load.
    public struct Load: Sendable, Equatable {
        /// Threads in the pool.
        public let threads: Int
        /// Jobs running now.
        public let running: Int
        /// Jobs waiting for a thread.
        public let queued: Int
        /// The most jobs that may wait.
        public let maxQueued: Int
    }

    private struct Job {
        let id: UInt64
        let body: () -> Void
        let cancel: () -> Void
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var running = 0
    private var nextID: UInt64 = 0
    private var stopping = false
    private var workers: [Thread] = []
    /// The number of worker threads.
    public let threadCount: Int
    /// The most jobs that may wait for a thread.
    public let maxQueued: Int

    /// Starts the pool's threads. They run until ``shutdown()``.
    ///
    /// - Parameters:
    ///   - threads: worker threads; one per core by default.
    ///   - maxQueued: how many jobs may wait when every thread is busy.
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, maxQueued: Int = 64) {
        threadCount = max(1, threads)
        self.maxQueued = max(0, maxQueued)
        for index in 0..<threadCount {
            // Each thread keeps the pool alive until shutdown() lets it finish.
            let thread = Thread { self.workLoop(name: "darkroom-pixels-\(index)") }
            thread.stackSize = 8 << 20
            workers.append(thread)
            thread.start()
        }
    }

    private static let marker = "darkroom.pixel-pool"

    /// Whether the calling thread is one of a pixel pool's threads.
    public static var isPixelThread: Bool {
        Thread.current.threadDictionary[marker] as? Bool ?? false
    }

    /// The current load.
    public var load: Load {
        condition.lock()
        defer { condition.unlock() }
        return Load(threads: threadCount, running: running, queued: queue.count, maxQueued: maxQueued)
    }

    /// Runs `work` on a pool thread and returns its result.
    ///
    /// If the calling task is cancelled while the job still waits, the job is dropped and
    /// this throws `CancellationError`; once it runs, `work` sees the cancellation through
    /// the flag it is given and should stop at its next check.
    /// - Throws: ``ProcessingError/overloaded`` when the waiting line is full, or whatever `work` throws.
    public func run<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
        try await submit(work, flag: CancellationFlag(), answer: Answer())
    }

    /// ``run(_:)``, but the caller waits at most `limit`: past it the job's flag is set and this
    /// throws ``PixelPoolTimeout``. A call into a library cannot be stopped halfway, so the job
    /// runs on to its end on its thread (or its next flag check) and its result is dropped; the
    /// thread is busy meanwhile, as the pool's load shows.
    public func run<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
        let flag = CancellationFlag(), answer = Answer<T>()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await self.submit(work, flag: flag, answer: answer) }
            group.addTask {
                try await Task.sleep(for: limit)
                flag.cancel()
                answer.resume(with: .failure(PixelPoolTimeout(limit: limit)))
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }

    /// Queues `work`; its result, or the first failure given to `answer`, comes back.
    private func submit<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) throws -> T, flag: CancellationFlag,
                                     answer: Answer<T>) async throws -> T {
        let id: UInt64 = condition.withLock {
            nextID += 1
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                answer.wait(with: continuation)
                let job = Job(
                    id: id,
                    body: { answer.resume(with: Result { try work(flag) }) },
                    cancel: { answer.resume(with: .failure(CancellationError())) })
                condition.lock()
                if stopping || (running >= threadCount && queue.count >= maxQueued) {
                    condition.unlock()
                    answer.resume(with: .failure(stopping ? ProcessingError.shuttingDown : ProcessingError.overloaded))
                    return
                }
                if flag.isCancelled {
                    condition.unlock()
                    answer.resume(with: .failure(CancellationError()))
                    return
                }
                queue.append(job)
                condition.signal()
                condition.unlock()
            }
        } onCancel: {
            flag.cancel()
            let dropped: Job? = condition.withLock {
                guard let index = queue.firstIndex(where: { $0.id == id }) else { return nil }
                return queue.remove(at: index)
            }
            dropped?.cancel()
        }
    }

    /// A job's continuation, resumed once: by the job, its cancellation or a time limit,
    /// whichever comes first; the others find it taken.
    private final class Answer<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var early: Result<T, any Error>?

        func wait(with continuation: CheckedContinuation<T, any Error>) {
            let ready: Result<T, any Error>? = lock.withLock {
                if let early { return early }
                self.continuation = continuation
                return nil
            }
            ready.map { continuation.resume(with: $0) }
        }

        func resume(with result: Result<T, any Error>) {
            let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
                if continuation == nil {
                    // Not waiting yet (a limit hit before the job was queued): kept for wait(with:).
                    if early == nil { early = result }
                    return nil
                }
                defer { continuation = nil; early = result }
                return continuation
            }
            waiting?.resume(with: result)
        }
    }

    /// Stops the threads once the jobs already waiting have run. New work is refused.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func workLoop(name: String) {
        Thread.current.name = name
        // Thread names do not reach Linux threads through Foundation, so mark the thread too.
        Thread.current.threadDictionary[Self.marker] = true
        defer { VipsThreadCleanup.run() }
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            running += 1
            condition.unlock()
            job.body()
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }
}

/// Set when the task that submitted a job is cancelled; pixel work checks it between steps.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Creates a flag that is not set.
    public init() {}

    /// Whether cancellation was asked for.
    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Asks for cancellation.
    public func cancel() { lock.withLock { cancelled = true } }

    /// Throws ``ProcessingError/cancelled`` when cancellation was asked for.
    public func check() throws(ProcessingError) {
        if isCancelled { throw .cancelled }
    }
}

/// A ``PixelPool/run(within:_:)`` that waited its limit.
public struct PixelPoolTimeout: Error, Sendable, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the work ran past its limit of \(limit)" }
}
