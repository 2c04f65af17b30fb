import Crypto
import ImageModel
public import Foundation
import Synchronization

/// Objects in a dictionary: for tests, and for a process that needs no persistence.
///
/// ETags are the hex MD5 of the bytes, as S3 gives for single-part uploads.
public final class MemoryObjectStore: ObjectStore {
    private struct Entry {
        var data: Data
        var info: ObjectInfo
    }

    private let objects = Mutex<[ObjectKey: Entry]>([:])

    /// Creates an empty store.
    public init() {}

    public var location: String { "memory:" }

    public func put(_ key: ObjectKey, data: Data, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        let etag = Insecure.MD5.hash(data: data).hexDigits
        let info = ObjectInfo(key: key, size: data.count, etag: etag, contentType: options.resolvedContentType(for: key),
                              lastModified: Date(), metadata: options.normalisedMetadata)
        objects.withLock { $0[key] = Entry(data: data, info: info) }
        return ObjectReceipt(key: key, size: data.count, etag: etag)
    }

    public func put(_ key: ObjectKey, stream: ObjectByteStream, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        try await put(key, data: stream.collect(upTo: Int.max), options: options)
    }

    public func get(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> StoredObject {
        let entry = try entry(key)
        guard let range else { return StoredObject(info: entry.info, data: entry.data) }
        return StoredObject(info: entry.info, data: entry.data.subdata(in: try range.clamped(toSize: entry.data.count)))
    }

    public func stream(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> ObjectDownload {
        let object = try await get(key, range: range)
        return ObjectDownload(info: object.info, body: ObjectByteStream(chunks: [object.data]))
    }

    public func head(_ key: ObjectKey) async throws(ObjectStoreError) -> ObjectInfo {
        try entry(key).info
    }

    public func delete(_ key: ObjectKey) async throws(ObjectStoreError) {
        _ = objects.withLock { $0.removeValue(forKey: key) }
    }

    public func list(prefix: String, continuation: String?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        let summaries = objects.withLock { objects in
            objects.values.map { ObjectSummary(key: $0.info.key, size: $0.info.size, etag: $0.info.etag,
                                               lastModified: $0.info.lastModified) }
        }
        return ObjectListing.page(of: summaries, prefix: prefix, after: continuation, limit: limit)
    }

    private func entry(_ key: ObjectKey) throws(ObjectStoreError) -> Entry {
        guard let entry = objects.withLock({ $0[key] }) else { throw .notFound(key: key.rawValue) }
        return entry
    }
}

extension ObjectListing {
    /// One page of `objects` in key order: those under `prefix` whose keys follow `after`.
    /// Stores that can list everything cheaply share this, so their paging agrees exactly.
    static func page(of objects: [ObjectSummary], prefix: String, after: String?, limit: Int) -> ObjectListing {
        let matching = objects
            .filter { $0.key.rawValue.hasPrefix(prefix) }
            .filter { after == nil || $0.key.rawValue.utf8.lexicographicallyPrecedes(after!.utf8) == false && $0.key.rawValue != after }
            .sorted { $0.key < $1.key }
        let page = Array(matching.prefix(max(1, limit)))
        return ObjectListing(objects: page,
                             continuation: matching.count > page.count ? page.last?.key.rawValue : nil)
    }
}
