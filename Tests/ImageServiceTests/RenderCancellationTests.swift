import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        // Generous waits: under the whole suite's load a task may wait seconds for a thread.
        try await waitUntil(60) { render.starts.withLock { $0 } == 1 }
        let second = Task { try await coalescer.value(for: "k") { try await render.run() } }
        try await Task.sleep(for: .milliseconds(50))
        first.cancel()
        try await Task.sleep(for: .milliseconds(50))
        #expect(!render.cancelled.withLock { $0 }, "the render goes on while another request waits for it")
        render.release.withLock { $0 = true }
        #expect(try await second.value.data == Self.image.data)
        #expect(render.starts.withLock { $0 } == 1)
        try await waitUntil(60) { coalescer.inFlight == 0 }
    }

    @Test("the last waiter leaving cancels the render")
    func lastWaiterCancels() async throws {
        let coalescer = RenderCoalescer()
        let render = SlowRender()
        let only = Task { try await coalescer.value(for: "k") { try await render.run() } }
        try await waitUntil(60) { render.starts.withLock { $0 } == 1 }
        only.cancel()
        try await waitUntil(60) { render.cancelled.withLock { $0 } }
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
        try await waitUntil(60) { pool.load.queued == 0 }
        #expect(pool.load.running == 1)
        gate.signal()
        try await blocker.value
        try await Task.sleep(for: .milliseconds(100))
        #expect(pool.load.running == 0 && pool.load.queued == 0)
    }

    @Test("a client that disconnects while its render waits for a pixel thread takes the render out of the line")
    func disconnectFreesThePool() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 8)
        let harness = try ServiceHarness.make(pool: pool, cacheSize: 0)
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run { _ in gate.wait() } }
        try await waitUntil { pool.load.running == 1 }
        try await harness.application.test(.live) { client in
            let port = try #require(client.port)
            // A plain socket, so that closing it is a real disconnect in the middle of the request.
            let socket = try RawHTTPClient(port: port)
            try socket.send("GET /unsafe/rs:fit:30:30/plain/local:///rocket.jpg HTTP/1.1\r\nHost: x\r\n\r\n")
            try await waitUntil(60) { pool.load.queued == 1 }
            socket.close()
            // The render left the line: the pool holds only the blocker, and nothing renders later.
            try await waitUntil(60) { pool.load.queued == 0 }
            #expect(pool.load.running == 1)
            gate.signal()
            try await blocker.value
            try await waitUntil(60) { pool.load.running == 0 && pool.load.queued == 0 }
            // Nothing is left registered for the connection that went away.
            try await waitUntil(60) { harness.dependencies.connections.trackedConnections == 0 }
            // The server is still whole: the next request renders and is answered.
            let answer = try await client.execute(uri: "/unsafe/rs:fit:30:30/plain/local:///rocket.jpg", method: .get) { $0.status }
            #expect(answer == .ok)
        }
    }
}

/// A bare HTTP/1.1 client over a POSIX socket: it can hang up mid-request, which URLSession cannot.
private final class RawHTTPClient {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw CancellationError() }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw CancellationError() }
    }

    func close() {
        _ = Glibc.close(fd)
    }
}
