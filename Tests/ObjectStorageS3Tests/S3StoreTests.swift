import Crypto
import Foundation
@testable import ObjectStorage
import Testing
import TestSupport
import ObjectStorageS3

/// The S3 backend against a real SeaweedFS with signatures enforced.
@Suite("S3 store on SeaweedFS", .enabled(if: TestS3.isConfigured))
struct S3StoreTests {
    /// 20 MiB of bytes that differ in every part.
    static let large: Data = {
        var bytes = [UInt8](repeating: 0, count: 20 << 20)
        var state: UInt32 = 2_463_534_242
        for index in bytes.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }()

    @Test("a 20 MiB object goes up in parts and round-trips with the same SHA-256")
    func multipartRoundTrip() async throws {
        try await TestS3.withStore { store in
            let key = try ObjectKey("multipart/\(UUID().uuidString).bin")
            let chunks = stride(from: 0, to: Self.large.count, by: 1 << 20).map { Self.large.subdata(in: $0..<min($0 + (1 << 20), Self.large.count)) }
            let receipt = try await store.put(key, stream: ObjectByteStream(chunks: chunks), options: PutOptions())
            #expect(receipt.size == Self.large.count)
            #expect(receipt.etag.hasSuffix("-3"), "an S3 multipart ETag ends with the part count: \(receipt.etag)")
            var hash = SHA256()
            var received = 0
            for try await chunk in try await store.stream(key, range: nil).body {
                hash.update(data: chunk)
                received += chunk.count
            }
            #expect(received == Self.large.count)
            #expect(hash.finalize() == SHA256.hash(data: Self.large))
            #expect(try await store.head(key).size == Self.large.count)
            #expect(try await store.pendingUploads(prefix: "multipart/").isEmpty)

            let whole = try ObjectKey("multipart/\(UUID().uuidString)-whole.bin")
            try await store.put(whole, data: Self.large)
            #expect(try await store.get(whole).data == Self.large, "a put of bytes over the threshold uses parts too")
        }
    }

    @Test("an upload that fails part-way leaves no object and no dangling upload")
    func failedMultipart() async throws {
        try await TestS3.withStore { store in
            let key = try ObjectKey("failed/\(UUID().uuidString).bin")
            // 20 chunks of 1 MiB (the upload has begun and two 8 MiB parts are up), then failure.
            let failing = ObjectByteStream(FailingChunks(good: 20, size: 1 << 20))
            await #expect(throws: (any Error).self) { try await store.put(key, stream: failing, options: PutOptions()) }
            #expect(try await store.exists(key) == false)
            let pending = try await store.pendingUploads(prefix: "failed/")
            #expect(!pending.contains { $0.key.hasSuffix(key.rawValue) }, "the upload was aborted: \(pending)")
        }
    }

    /// (That 403s are not retried is checked, call by call, in S3FaultTests.)
    @Test("a wrong secret is accessDenied")
    func wrongSecret() async throws {
        try await TestS3.withStore(TestS3.configuration(secret: "not-the-secret")) { store in
            let key = try ObjectKey("denied.txt")
            let put = await #expect(throws: ObjectStoreError.self) { try await store.put(key, data: Data("x".utf8)) }
            guard case .accessDenied? = put else { Issue.record("put: \(String(describing: put))"); return }
            let get = await #expect(throws: ObjectStoreError.self) { try await store.get(key) }
            guard case .accessDenied? = get else { Issue.record("get: \(String(describing: get))"); return }
        }
    }

    @Test("unsigned payloads work too")
    func unsignedPayload() async throws {
        try await TestS3.withStore(TestS3.configuration(signing: .unsigned)) { store in
            let key = try ObjectKey("unsigned/\(UUID().uuidString).bin")
            try await store.put(key, data: Data("unsigned body".utf8))
            #expect(try await store.get(key).data == Data("unsigned body".utf8))
        }
    }

    @Test("a store with a prefix sees only its own keys, without the prefix")
    func prefixConfinement() async throws {
        let tenant = "tenant-\(UUID().uuidString)"
        try await TestS3.withStore(TestS3.configuration(prefix: tenant + "/a")) { store in
            try await store.put(try ObjectKey("x/1.txt"), data: Data("a".utf8))
        }
        try await TestS3.withStore(TestS3.configuration(prefix: tenant + "/b")) { store in
            try await store.put(try ObjectKey("x/1.txt"), data: Data("b".utf8))
            #expect(try await store.listAll(prefix: "").map(\.key.rawValue) == ["x/1.txt"])
            #expect(try await store.get(try ObjectKey("x/1.txt")).data == Data("b".utf8))
        }
        try await TestS3.withStore(TestS3.configuration(prefix: tenant)) { store in
            let listed = try await store.listAll(prefix: "").map(\.key.rawValue)
            #expect(listed == ["a/x/1.txt", "b/x/1.txt"])
        }
    }
}
