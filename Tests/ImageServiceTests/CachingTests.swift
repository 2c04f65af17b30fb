import Foundation
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageService
import Testing
import TestSupport
import HTTPTypes

@Suite("Negotiation, caching and coalescing")
struct CachingTests {
    @Test("Accept picks AVIF or WebP for auto, with Vary: Accept; explicit formats do not vary")
    func negotiation() async throws {
        let harness = try ServiceHarness.make()
        let auto = "/unsafe/rs:fit:60:60/plain/local:///rocket.jpg"
        try await harness.test { client in
            for (accept, type) in [("image/avif,image/webp,*/*", "image/avif"), ("image/webp,*/*;q=0.8", "image/webp"),
                                   ("image/avif;q=0,image/webp", "image/webp"), ("*/*", "image/jpeg")] {
                try await client.execute(uri: auto, method: .get, headers: [.accept: accept]) { response in
                    #expect(response.headers[.contentType] == type, "\(accept)")
                    #expect(response.headers[.vary] == "Accept")
                }
            }
            // A negotiated answer that equals the source format still varies by Accept.
            try await client.execute(uri: auto, method: .get) { response in
                #expect(response.headers[.contentType] == "image/jpeg")
                #expect(response.headers[.vary] == "Accept")
            }
            try await client.execute(uri: "/unsafe/rs:fit:60:60/plain/local:///alpha.png", method: .get) { response in
                #expect(response.headers[.contentType] == "image/png")
            }
            try await client.execute(uri: auto + "@webp", method: .get, headers: [.accept: "image/avif"]) { response in
                #expect(response.headers[.contentType] == "image/webp")
                #expect(response.headers[.vary] == nil)
            }
        }
    }

    @Test("If-None-Match with the ETag answers 304 without rendering again; the cache serves repeats")
    func etag() async throws {
        let harness = try ServiceHarness.make()
        let path = "/unsafe/rs:fit:70:70/plain/local:///rocket.jpg"
        try await harness.test { client in
            let first = try await client.execute(uri: path, method: .get)
            let etag = try #require(first.headers[.eTag])
            try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.data.isEmpty)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"other\""]) { response in
                #expect(response.status == .ok)
            }
            // Another Accept gives another variant, with another ETag.
            try await client.execute(uri: path, method: .get, headers: [.accept: "image/webp"]) { response in
                #expect(response.headers[.eTag] != etag)
            }
        }
        #expect(harness.dependencies.renders.count == 2)
        #expect(harness.dependencies.cache.count == 2)
    }

    @Test("errors are not cached")
    func errorsNotCached() async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            for _ in 0..<3 {
                _ = try await client.execute(uri: "/unsafe/rs:fit:10:10/plain/local:///truncated.jpg", method: .get)
            }
        }
        #expect(harness.dependencies.renders.count == 3)
        #expect(harness.dependencies.cache.count == 0)
    }

    @Test("N concurrent identical misses cause exactly one render")
    func coalescing() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 64)
        let harness = try ServiceHarness.make(pool: pool)
        let gate = DispatchSemaphore(value: 0)
        // Hold the only pixel thread so the first render waits while the others arrive.
        let blocker = Task { try await pool.run { _ in gate.wait() } }
        try await waitUntil { !(pool.load.running < 1) }
        try await harness.test { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        Int(try await client.execute(uri: "/unsafe/rs:fit:90:90/plain/local:///rocket.jpg", method: .get).status.code)
                    }
                }
                try await waitUntil { !(pool.load.queued < 1) }
                try await Task.sleep(for: .milliseconds(200))
                gate.signal()
                for try await status in group { #expect(status == 200) }
            }
        }
        try await blocker.value
        #expect(harness.dependencies.renders.count == 1)
    }
}
