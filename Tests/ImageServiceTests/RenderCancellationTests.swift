import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageModel
import ImageProcessing
@testable import ImageService
import Synchronization
import Testing
import TestSupport

/// Renders end with their requests: a timeout, or the last waiter of a shared render going
/// away, cancels the render and frees its place in the pixel pool.
@Suite("Render cancellation")
struct RenderCancellationTests {
    static let image = RenderedImage(data: Data([1, 2, 3]), format: .png, width: 1, height: 1)

    /// A render that runs until it is cancelled or `release` opens, counting its starts.
    final class SlowRender: Sendable {
        let starts = Mutex(0)
        let cancelled = Mutex(false)
        let release = Mutex(false)

        func run() async throws -> RenderedImage {
            starts.withLock { $0 += 1 }
            while !release.withLock({ $0 }) {
                if Task.isCancelled {
                    cancelled.withLock { $0 = true }
                    throw CancellationError()
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return RenderCancellationTests.image
        }
    }

    @Test("waiters share one render; one leaving does not stop it for the others")
    func sharedRenderSurvivesOneWaiter() async throws {
        let coalescer = RenderCoalescer()
        let render = SlowRender()
        let first = Task { try await coalescer.value(for: "k") { try await render.run() } }
        try await waitUntil { render.starts.withLock { $0 } == 1 }
        let second = Task { try await coalescer.value(for: "k") { try await render.run() } }
        try await Task.sleep(for: .milliseconds(50))
        first.cancel()
        try await Task.sleep(for: .milliseconds(50))
        #expect(!render.cancelled.withLock { $0 }, "the render goes on while another request waits for it")
        render.release.withLock { $0 = true }
        #expect(try await second.value.data == Self.image.data)
        #expect(render.starts.withLock { $0 } == 1)
        try await waitUntil { coalescer.inFlight == 0 }
    }

    @Test("the last waiter leaving cancels the render")
    func lastWaiterCancels() async throws {
        let coalescer = RenderCoalescer()
        let render = SlowRender()
        let only = Task { try await coalescer.value(for: "k") { try await render.run() } }
        try await waitUntil { render.starts.withLock { $0 } == 1 }
        only.cancel()
        try await waitUntil(5) { render.cancelled.withLock { $0 } }
        #expect(coalescer.inFlight == 0)
        await #expect(throws: CancellationError.self) { try await only.value }
    }

    @Test("a request that times out while waiting for a pixel thread leaves the line at once")
    func timeoutFreesThePool() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 8)
        let harness = try ServiceHarness.make(settings: ImageServiceSettings(timeout: .milliseconds(200)), pool: pool, cacheSize: 0)
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run { _ in gate.wait() } }
        try await waitUntil { pool.load.running == 1 }
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:30:30/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .gatewayTimeout)
            }
        }
        // The timed-out render was dropped from the line; it does not run once the pool frees.
        try await waitUntil(5) { pool.load.queued == 0 }
        #expect(pool.load.running == 1)
        gate.signal()
        try await blocker.value
        try await Task.sleep(for: .milliseconds(100))
        #expect(pool.load.running == 0 && pool.load.queued == 0)
    }
}
