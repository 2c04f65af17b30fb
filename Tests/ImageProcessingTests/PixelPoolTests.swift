import Foundation
import ImageProcessing
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
}
