import Foundation
import ImageProcessing
import Synchronization
import Testing
import TestSupport

@Suite("Pixel pool")
struct PixelPoolTests {
    /// A gate that pool jobs wait on, so a test controls when they finish.
    final class Gate: @unchecked Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        func wait() { semaphore.wait() }
        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
    }

    @Test("work runs on the pool's own threads, not the cooperative pool")
    func dedicatedThreads() async throws {
        let pool = PixelPool(threads: 2, maxQueued: 4)
        defer { pool.shutdown() }
        #expect(try await pool.run { _ in PixelPool.isPixelThread })
        #expect(!PixelPool.isPixelThread)
    }

    @Test("a full queue sheds load with .overloaded, then recovers")
    func overload() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 1)
        let gate = Gate()
        defer { gate.open(2); pool.shutdown() }
        // Submit in a known order: one job holds the thread, the next fills the queue.
        let first = Task { try await pool.run { _ in gate.wait(); return 1 } }
        try await waitUntil { pool.load.running == 1 }
        let second = Task { try await pool.run { _ in 2 } }
        try await waitUntil { pool.load.queued == 1 }
        await #expect(throws: ProcessingError.overloaded) { try await pool.run { _ in 3 } }
        gate.open(1)
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(try await pool.run { _ in 4 } == 4)
    }

    @Test("a job cancelled while waiting is dropped; a running job sees the flag")
    func cancellation() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 4)
        let gate = Gate()
        defer { pool.shutdown() }
        let blocker = Task { try await pool.run { flag in gate.wait(); return flag.isCancelled } }
        try await waitUntil { !(pool.load.running < 1) }
        let waiting = Task { try await pool.run { _ in "ran" } }
        try await waitUntil { !(pool.load.queued < 1) }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(pool.load.queued == 0)
        blocker.cancel()
        gate.open(1)
        #expect(try await blocker.value == true)
    }

    @Test("run(within:) gives up at its limit, flags the job, and the pool goes on once the job ends; within it, the result")
    func timeLimit() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 4)
        let gate = Gate()
        defer { pool.shutdown() }
        let seen = Mutex<Bool?>(nil)
        await #expect(throws: PixelPoolTimeout.self) {
            try await pool.run(within: .milliseconds(50)) { flag in
                gate.wait()
                seen.withLock { $0 = flag.isCancelled }
                return 1
            }
        }
        // The job still holds the thread until it returns; it was told to stop.
        #expect(pool.load.running == 1)
        gate.open(1)
        try await waitUntil { seen.withLock { $0 } != nil }
        #expect(seen.withLock { $0 } == true)
        #expect(try await pool.run(within: .seconds(30)) { _ in 7 } == 7)
    }
}
