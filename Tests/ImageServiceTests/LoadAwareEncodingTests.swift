import Foundation
import HummingbirdTesting
import ImageModel
import ImageProcessing
@testable import ImageService
import ImageSources
import Logging
import Prometheus
import Testing
import TestSupport
import HTTPTypes

/// Load-aware encoding: with renders waiting for the pixel pool, an AVIF answer is made as
/// WebP now (short-lived, flagged) and as AVIF when the pool is idle; the next request gets the
/// AVIF from the cache. Nothing is served that the client does not accept.
@Suite struct LoadAwareEncodingTests {
    static let degradedHeader = HTTPField.Name("X-Darkroom-Degraded")!
    static let path = "/unsafe/rs:fit:200:200/plain/local:///rocket.jpg"

    /// A one-thread pool made busy past the threshold: one job holds the thread (until `gate`
    /// is signalled) and one waits.
    struct BusyPool {
        let pool = PixelPool(threads: 1, maxQueued: 64)
        let gate = DispatchSemaphore(value: 0)
        let jobs: [Task<Void, any Error>]

        init() async throws {
            let pool = pool, gate = gate
            let holder = Task { try await pool.run { _ in gate.wait() } }
            try await waitUntil { pool.load.running == 1 }
            let waiter = Task { try await pool.run { _ in } }
            try await waitUntil { pool.load.queued == 1 }
            jobs = [holder, waiter]
        }

        func finished() async throws {
            for job in jobs { try await job.value }
        }
    }

    @Test func aBusyPoolServesWebPNowAndAVIFOnceIdle() async throws {
        let busy = try await BusyPool()
        let pool = busy.pool, gate = busy.gate
        let harness = try ServiceHarness.make(settings: ImageServiceSettings(degradeAVIFAtQueue: 1), pool: pool)
        try await harness.test { client in
            async let busy = client.execute(uri: Self.path, method: .get, headers: [.accept: "image/avif,image/webp"])
            try await waitUntil { pool.load.queued == 2 }
            gate.signal()
            let response = try await busy
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/webp")
            #expect(response.headers[Self.degradedHeader] == "avif")
            #expect(response.headers[.cacheControl] == "public, max-age=60")
            #expect(harness.dependencies.deferred.count == 1)

            // Idle now: the deferred AVIF is made in the background, into the cache.
            let service = DeferredRenderService(dependencies: harness.dependencies, logger: Logger(label: "test"))
            let background = Task { try await service.run() }
            try await waitUntil { harness.dependencies.deferred.count == 0 && harness.dependencies.cache.count == 2 }
            background.cancel()
            let renders = harness.dependencies.renders.count
            try await client.execute(uri: Self.path, method: .get, headers: [.accept: "image/avif,image/webp"]) { response in
                #expect(response.headers[.contentType] == "image/avif")
                #expect(response.headers[Self.degradedHeader] == nil)
                #expect(response.headers[.cacheControl] == "public, max-age=31536000")
            }
            #expect(harness.dependencies.renders.count == renders)
        }
        try await busy.finished()
        #expect(harness.registry.emitToString().contains(#"darkroom_degraded_total{from="avif",to="webp"} 1"#))
    }

    @Test func clientsWithoutWebPAndExplicitFormatsAreNeverDegraded() async throws {
        let busy = try await BusyPool()
        let pool = busy.pool, gate = busy.gate
        let harness = try ServiceHarness.make(settings: ImageServiceSettings(degradeAVIFAtQueue: 1), pool: pool)
        try await harness.test { client in
            async let avifOnly = client.execute(uri: Self.path, method: .get, headers: [.accept: "image/avif"])
            async let explicit = client.execute(uri: Self.path + "@avif", method: .get, headers: [.accept: "image/avif,image/webp"])
            try await waitUntil { pool.load.queued == 3 }
            gate.signal()
            #expect(try await avifOnly.headers[.contentType] == "image/avif")
            #expect(try await explicit.headers[.contentType] == "image/avif")
            #expect(try await avifOnly.headers[Self.degradedHeader] == nil)
        }
        try await busy.finished()
        #expect(harness.dependencies.deferred.count == 0)
    }
}

/// The list of put-off renders is bounded in entries and in the bytes of the sources it holds.
@Suite struct DeferredRendersTests {
    static func pending(_ key: String, bytes: Int) throws -> DeferredRenders.Pending {
        DeferredRenders.Pending(key: key, recipe: try Recipe(parsing: "f:auto:avif:webp"),
                                fetched: FetchedSource(source: .bytes(Data(count: bytes)), identity: key, name: key, byteCount: bytes))
    }

    @Test func boundedInEntriesAndBytesAndOnePerKey() throws {
        let list = DeferredRenders(capacity: 3, maxBytes: 1000)
        #expect(list.add(try Self.pending("a", bytes: 400)))
        #expect(!list.add(try Self.pending("a", bytes: 400)))
        #expect(list.add(try Self.pending("b", bytes: 500)))
        #expect(!list.add(try Self.pending("c", bytes: 200)))
        #expect(list.add(try Self.pending("d", bytes: 100)))
        #expect(!list.add(try Self.pending("e", bytes: 0)))
        #expect(list.next()?.key == "a")
        #expect(list.add(try Self.pending("c", bytes: 200)))
        #expect([list.next()?.key, list.next()?.key, list.next()?.key, list.next()?.key] == ["b", "d", "c", nil])
    }
}
