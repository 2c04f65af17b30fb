import ImageSources
import Foundation
import ImageModel
import ImageService
import Logging
import ObjectStorage
import Testing
import TestSupport
import Synchronization
import Vips
import HTTPTypes
import HummingbirdTesting

/// `s3://` sources and the shared result store, over in-memory stores (the S3 backend itself
/// passes the same contract against SeaweedFS in ObjectStorageTests).
@Suite("Object storage in the service")
struct ObjectStorageSourceTests {
    static func media() async throws -> MemoryObjectStore {
        let store = MemoryObjectStore()
        try await store.put(try ObjectKey("photos/rocket.jpg"), data: try Fixtures.data("natural/rocket.jpg"))
        try await store.put(try ObjectKey("photos/garbage.jpg"), data: CorruptedInputs.garbage(count: 2000, seed: 3))
        return store
    }

    static func fetcher(_ store: MemoryObjectStore, allow: [String] = []) -> ObjectSourceFetcher {
        ObjectSourceFetcher(allowList: SourceAllowList(allow)) { bucket throws(ObjectStoreError) in
            guard bucket == "media" else { throw .invalidConfiguration("the bucket '\(bucket)' does not exist") }
            return store
        }
    }

    @Test("s3:// sources render, and bad ones get the status their fault deserves")
    func sources() async throws {
        let store = try await Self.media()
        var settings = ImageServiceSettings()
        settings.limits = Limits(maxInputBytes: 2 << 20)
        let harness = try ServiceHarness.make(settings: settings, extraFetchers: [Self.fetcher(store)])
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:100:100/plain/s3://media/photos/rocket.jpg", method: .get) { response in
                #expect(response.status == .ok)
                let header = try VipsImage.probe(response.data)
                #expect(max(header.width, header.height) == 100)
                #expect(response.headers[.contentDisposition]?.contains("rocket.jpg") == true)
            }
            let cases: [(String, Int)] = [
                ("s3://media/photos/missing.jpg", 404),
                ("s3://media/photos/garbage.jpg", 415),
                ("s3://media/photos/rocket.jpg%3Fendpoint=http://169.254.169.254", 400),
                ("s3://media/../etc/passwd", 400),
                ("s3://elsewhere/x.jpg", 502),
            ]
            for (source, status) in cases {
                try await client.execute(uri: "/unsafe/rs:fit:100:100/plain/\(source)", method: .get) { response in
                    #expect(Int(response.status.code) == status, "\(source): \(response.text)")
                }
            }
        }
        settings.limits = Limits(maxInputBytes: 1000)
        let small = try ServiceHarness.make(settings: settings, extraFetchers: [Self.fetcher(store)])
        try await small.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:100:100/plain/s3://media/photos/rocket.jpg", method: .get) { response in
                #expect(response.status == .contentTooLarge, "\(response.text)")
            }
        }
    }

    @Test("the allow-list governs s3:// sources as it does http ones")
    func allowList() async throws {
        let store = try await Self.media()
        let harness = try ServiceHarness.make(extraFetchers: [Self.fetcher(store, allow: ["s3://media/public/"])])
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:50:50/plain/s3://media/photos/rocket.jpg", method: .get) { response in
                #expect(response.status == .forbidden, "\(response.text)")
            }
        }
    }

    @Test("a result one node rendered is served by another from the shared store, without rendering")
    func sharedResults() async throws {
        let media = try await Self.media()
        let results = MemoryObjectStore()
        let logger = Logger(label: "test")
        let nodeA = try ServiceHarness.make(extraFetchers: [Self.fetcher(media)], resultStore: ResultStore(store: results, logger: logger))
        let nodeB = try ServiceHarness.make(extraFetchers: [Self.fetcher(media)], resultStore: ResultStore(store: results, logger: logger))
        let uri = "/unsafe/rs:fill:64:48/f:webp/plain/s3://media/photos/rocket.jpg"
        let first = Mutex<Data?>(nil)
        try await nodeA.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                first.withLock { $0 = response.data }
            }
        }
        #expect(nodeA.dependencies.renders.count == 1)
        #expect(try await results.listAll(prefix: "results/").count == 1)
        try await nodeB.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/webp")
                #expect(response.data == first.withLock { $0 })
            }
        }
        #expect(nodeB.dependencies.renders.count == 0, "node B found the result in the shared store")
    }

    @Test("an answer from the cache costs a HEAD, not a download")
    func cachedAnswersSkipTheDownload() async throws {
        let counting = CountingStore(try await Self.media())
        let fetcher = ObjectSourceFetcher(allowList: SourceAllowList([])) { _ throws(ObjectStoreError) in counting }
        let harness = try ServiceHarness.make(extraFetchers: [fetcher])
        try await harness.test { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/unsafe/rs:fit:40:40/plain/s3://media/photos/rocket.jpg", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
        #expect(counting.downloads.withLock { $0 } == 1)
        #expect(counting.heads.withLock { $0 } == 3)
    }
}

/// Delegates to a store and counts heads and downloads.
final class CountingStore: ObjectStore {
    let base: any ObjectStore
    let heads = Mutex(0)
    let downloads = Mutex(0)

    init(_ base: any ObjectStore) { self.base = base }

    var location: String { base.location }
    func put(_ key: ObjectKey, data: Data, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        try await base.put(key, data: data, options: options)
    }
    func put(_ key: ObjectKey, stream: ObjectByteStream, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        try await base.put(key, stream: stream, options: options)
    }
    func get(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> StoredObject {
        downloads.withLock { $0 += 1 }
        return try await base.get(key, range: range)
    }
    func stream(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> ObjectDownload {
        downloads.withLock { $0 += 1 }
        return try await base.stream(key, range: range)
    }
    func head(_ key: ObjectKey) async throws(ObjectStoreError) -> ObjectInfo {
        heads.withLock { $0 += 1 }
        return try await base.head(key)
    }
    func delete(_ key: ObjectKey) async throws(ObjectStoreError) { try await base.delete(key) }
    func list(prefix: String, continuation: String?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        try await base.list(prefix: prefix, continuation: continuation, limit: limit)
    }
}
