import Foundation
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageService
import Testing
import TestSupport
import HTTPTypes

@Suite("Back-pressure")
struct LoadTests {
    @Test("a saturated pool answers 429 with Retry-After while /health and /metrics still answer")
    func overload() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 1)
        let harness = try ServiceHarness.make(pool: pool, cacheSize: 0)
        let gate = DispatchSemaphore(value: 0)
        let running = Task { try await pool.run { _ in gate.wait() } }
        let waiting = Task { try await pool.run { _ in gate.wait() } }
        try await waitUntil { !(pool.load.running + pool.load.queued < 2) }
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:30:30/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.text.contains("darkroom_pool_utilisation 1.0"))
            }
        }
        gate.signal()
        gate.signal()
        try await running.value
        try await waiting.value
    }

    @Test("a request over the processing timeout answers 504")
    func timeout() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 8)
        let harness = try ServiceHarness.make(settings: ImageServiceSettings(timeout: .milliseconds(200)), pool: pool)
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run { _ in gate.wait() } }
        try await waitUntil { !(pool.load.running < 1) }
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:30:30/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .gatewayTimeout)
                #expect(response.json["error"] as? String == "timeout")
            }
        }
        gate.signal()
        try await blocker.value
    }
}
