public import Foundation
public import ObjectStorage

/// The behaviour every ``ObjectStore`` backend must share. Each case runs under its own random
/// key prefix, so backends that persist (a folder, a bucket) can be reused across cases.
///
/// A test runs `try await ObjectStoreContract.run(.roundTrip, on: store)` for every case and
/// backend; a broken promise throws ``ContractFailure`` naming it.
public enum ObjectStoreContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case roundTrip, overwrite, emptyObject, ranges, missing, delete, listing, streaming, failedStream,
         concurrentWriters, unicodeKeys, keyRules

    public var description: String { rawValue }

    /// Runs `contractCase` against `store`.
    public static func run(_ contractCase: ObjectStoreContract, on store: any ObjectStore) async throws {
        let base = "contract-\(UInt32.random(in: 0...UInt32.max))/"
        func key(_ name: String) throws -> ObjectKey { try ObjectKey(base + name) }
        let payload = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

        switch contractCase {
        case .roundTrip:
            let k = try key("photo.jpg")
            let receipt = try await store.put(k, data: payload, options: PutOptions(contentType: "image/jpeg", metadata: ["Source": "camera-7"]))
            try ContractFailure.check(receipt.size == payload.count && !receipt.etag.isEmpty, "the receipt gives the size and an ETag")
            let object = try await store.get(k)
            try ContractFailure.check(object.data == payload, "get returns the bytes put")
            let info = try await store.head(k)
            try ContractFailure.check(info.size == payload.count, "head gives the size (\(info.size))")
            try ContractFailure.check(info.contentType == "image/jpeg", "head gives the content type (\(info.contentType))")
            try ContractFailure.check(info.metadata == ["source": "camera-7"], "metadata comes back with lower-case names (\(info.metadata))")
            try ContractFailure.check(info.etag == receipt.etag, "head's ETag matches the receipt's")
            try ContractFailure.check(abs(info.lastModified.timeIntervalSinceNow) < 300, "last-modified is now (\(info.lastModified))")
            try ContractFailure.check(try await store.exists(k), "exists is true")
            let guessed = try key("guessed.png")
            try await store.put(guessed, data: payload)
            try ContractFailure.check(try await store.head(guessed).contentType == "image/png", "the content type is guessed from the extension")

        case .overwrite:
            let k = try key("doc.bin")
            let first = try await store.put(k, data: Data("first version".utf8))
            let second = try await store.put(k, data: Data("the second, longer version".utf8))
            try ContractFailure.check(try await store.get(k).data == Data("the second, longer version".utf8), "the last put wins")
            try ContractFailure.check(first.etag != second.etag, "the ETag changes with the content")

        case .emptyObject:
            let k = try key("empty")
            try await store.put(k, data: Data())
            try ContractFailure.check(try await store.get(k).data.isEmpty, "an empty object reads back empty")
            try ContractFailure.check(try await store.head(k).size == 0, "an empty object has size 0")

        case .ranges:
            let k = try key("ranged.bin")
            try await store.put(k, data: payload)
            let head = try await store.get(k, range: ByteRange(first: 0, last: 9))
            try ContractFailure.check(head.data == payload.prefix(10), "bytes 0-9")
            try ContractFailure.check(head.info.size == payload.count, "a ranged read reports the whole size (\(head.info.size))")
            try ContractFailure.check(try await store.get(k, range: ByteRange(first: 69_990)).data == payload.suffix(10), "an open range reads to the end")
            try ContractFailure.check(try await store.get(k, range: ByteRange(first: 69_995, last: 80_000)).data == payload.suffix(5),
                      "a range past the end is cut at the end")
            let streamed = try await collect(store.stream(k, range: ByteRange(first: 100, last: 199)).body)
            try ContractFailure.check(streamed == payload.subdata(in: 100..<200), "a streamed range")
            try await expectError(.invalidRange, "a range starting past the end") {
                _ = try await store.get(k, range: ByteRange(first: 70_000))
            }

        case .missing:
            let k = try key("nothing-here")
            try await expectError(.notFound, "get of a missing key") { _ = try await store.get(k) }
            try await expectError(.notFound, "head of a missing key") { _ = try await store.head(k) }
            try await expectError(.notFound, "stream of a missing key") { _ = try await store.stream(k, range: nil) }
            try ContractFailure.check(try await store.exists(k) == false, "exists is false")
            try await store.delete(k)

        case .delete:
            let k = try key("a/b/c.txt")
            try await store.put(k, data: payload)
            try await store.delete(k)
            try ContractFailure.check(try await store.exists(k) == false, "a deleted object is gone")
            try await expectError(.notFound, "get after delete") { _ = try await store.get(k) }
            try ContractFailure.check(try await store.listAll(prefix: base).isEmpty, "a deleted object is not listed")

        case .listing:
            let names = ["l/item-03", "l/item-01", "l/item-02", "l/sub/deep/x.bin", "l/item-10", "l/sub/y.bin", "l/zeta"]
            for (index, name) in names.enumerated() { try await store.put(try key(name), data: Data(count: index + 1)) }
            try await store.put(try key("other/outside"), data: Data(count: 1))
            var seen: [ObjectSummary] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await store.list(prefix: base + "l/", continuation: token, limit: 3)
                try ContractFailure.check(page.objects.count <= 3, "a page holds at most the limit (\(page.objects.count))")
                seen += page.objects
                token = page.continuation
                pages += 1
            } while token != nil && pages < 10
            try ContractFailure.check(seen.map(\.key.rawValue) == names.map { base + $0 }.sorted(), "listing pages give every key once, in order: \(seen.map(\.key.rawValue))")
            try ContractFailure.check(pages == 3, "7 objects in pages of 3 are 3 pages (\(pages))")
            try ContractFailure.check(seen.first { $0.key.rawValue.hasSuffix("l/zeta") }?.size == 7, "a listing gives sizes")
            let partial = try await store.list(prefix: base + "l/item-0", continuation: nil, limit: 100)
            try ContractFailure.check(partial.objects.map(\.key.rawValue) == ["l/item-01", "l/item-02", "l/item-03"].map { base + $0 },
                      "a prefix that ends mid-segment filters by string")
            try ContractFailure.check(try await store.list(prefix: base + "none/", continuation: nil, limit: 10).objects.isEmpty, "an empty prefix lists nothing")

        case .streaming:
            let k = try key("streamed.bin")
            let sizes = [1, 4096, 65_537, 300_000, 17]
            let chunks = sizes.enumerated().map { index, size in Data(repeating: UInt8(index + 1), count: size) }
            let receipt = try await store.put(k, stream: ObjectByteStream(chunks: chunks), options: PutOptions(contentType: "application/x-test"))
            let whole = chunks.reduce(Data(), +)
            try ContractFailure.check(receipt.size == whole.count, "a streamed put counts every byte (\(receipt.size))")
            try ContractFailure.check(try await store.get(k).data == whole, "a streamed put stores every chunk in order")
            let download = try await store.stream(k, range: nil)
            try ContractFailure.check(download.info.contentType == "application/x-test", "a stream carries the description")
            try ContractFailure.check(try await collect(download.body) == whole, "a streamed get yields the whole object")

        case .failedStream:
            let k = try key("precious.bin")
            try await store.put(k, data: Data("old".utf8))
            let failing = ObjectByteStream(FailingChunks(good: 3, size: 100_000))
            try await expectAnyError("a put whose stream fails") { try await store.put(k, stream: failing, options: PutOptions()) }
            try ContractFailure.check(try await store.get(k).data == Data("old".utf8), "a failed put leaves the old object")
            let fresh = try key("never.bin")
            try await expectAnyError("a put whose stream fails") { try await store.put(fresh, stream: failing, options: PutOptions()) }
            try ContractFailure.check(try await store.exists(fresh) == false, "a failed put of a new key leaves nothing")

        case .concurrentWriters:
            let k = try key("contended.bin")
            let versions = (0..<8).map { Data(repeating: UInt8($0), count: 50_000 + $0 * 1000) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for version in versions { group.addTask { try await store.put(k, data: version) } }
                try await group.waitForAll()
            }
            let final = try await store.get(k).data
            try ContractFailure.check(versions.contains(final), "concurrent writers leave one whole version, not a mix")

        case .unicodeKeys:
            let k = try key("photos/été/café ☕ (1)+x&y=z.jpg")
            try await store.put(k, data: payload)
            try ContractFailure.check(try await store.get(k).data == payload, "a key with spaces, accents and reserved characters round-trips")
            try ContractFailure.check(try await store.listAll(prefix: base + "photos/").map(\.key) == [k], "and is listed by its own name")

        case .keyRules:
            for bad in ["", "../escape", "a/../b", "a//b", "/leading", "trailing/", "a/./b", "tab\there", String(repeating: "k", count: 1025)] {
                do {
                    _ = try ObjectKey(bad)
                    throw ContractFailure("the key '\(bad)' should be refused")
                } catch let error as ObjectStoreError {
                    guard case .invalidKey = error else { throw ContractFailure("'\(bad)': expected invalidKey, got \(error)") }
                }
            }
        }
    }

    private static func collect(_ body: ObjectByteStream) async throws -> Data {
        var data = Data()
        for try await chunk in body { data.append(chunk) }
        return data
    }

    private enum Kind { case notFound, invalidRange }

    private static func expectError(_ kind: Kind, _ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ObjectStoreError {
            switch (kind, error) {
            case (.notFound, .notFound), (.invalidRange, .invalidRange): return
            default: throw ContractFailure("\(what): expected \(kind), got \(error)")
            }
        }
        throw ContractFailure("\(what): expected \(kind), but it succeeded")
    }

    private static func expectAnyError(_ what: String, _ body: () async throws -> Void) async throws {
        do { try await body() } catch { return }
        throw ContractFailure("\(what) should fail")
    }
}

/// A promise of the contract that a backend broke.
public struct ContractFailure: Error, CustomStringConvertible {
    /// What should have held.
    public let description: String
    public init(_ description: String) { self.description = description }

    /// Throws a failure naming `promise` unless `condition` holds.
    public static func check(_ condition: Bool, _ promise: String) throws {
        guard condition else { throw ContractFailure(promise) }
    }
}

/// Yields `good` chunks of `size` bytes, then fails: a client that disconnects mid-upload.
public struct FailingChunks: AsyncSequence, Sendable {
    let good: Int
    let size: Int

    /// Creates the sequence.
    public init(good: Int, size: Int) {
        self.good = good
        self.size = size
    }

    public func makeAsyncIterator() -> Iterator { Iterator(remaining: good, size: size) }

    /// The iterator.
    public struct Iterator: AsyncIteratorProtocol {
        var remaining: Int
        let size: Int
        public mutating func next() async throws -> Data? {
            guard remaining > 0 else { throw ContractFailure("the source failed part-way") }
            remaining -= 1
            return Data(repeating: 0xAB, count: size)
        }
    }
}
