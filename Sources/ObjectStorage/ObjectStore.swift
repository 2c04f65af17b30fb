public import Foundation

/// A flat namespace of keyed objects: the home of originals, derivatives and cached results.
///
/// Backends: ``MemoryObjectStore`` (tests), ``LocalObjectStore`` (one machine) and
/// ``S3ObjectStore`` (a cluster). Every backend passes the same contract suite, so code written
/// against this protocol behaves the same on a laptop and in production.
///
/// Every method throws ``ObjectStoreError`` only; ``ObjectStoreError/isRetryable`` tells the
/// caller whether trying again can help.
public protocol ObjectStore: Sendable {
    /// Where the objects live, for logs and messages (`file:/srv/data`, `s3://bucket/prefix`).
    var location: String { get }

    /// Stores `data` under `key`, replacing any object there.
    @discardableResult
    func put(_ key: ObjectKey, data: Data, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt

    /// Stores what `stream` yields under `key` without holding it all in memory. Nothing is
    /// visible under `key` until the stream has ended; when it fails, the old object (or none) stays.
    @discardableResult
    func put(_ key: ObjectKey, stream: ObjectByteStream, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt

    /// The whole object, or the bytes in `range`.
    func get(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> StoredObject

    /// The object's bytes as a stream of chunks, with its description; the stream's errors are
    /// ``ObjectStoreError``s too.
    func stream(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> ObjectDownload

    /// The object's size, ETag, content type, modification time and user metadata.
    func head(_ key: ObjectKey) async throws(ObjectStoreError) -> ObjectInfo

    /// Removes the object; removing a missing object is not an error.
    func delete(_ key: ObjectKey) async throws(ObjectStoreError)

    /// One page of the objects whose keys start with `prefix`, in key order.
    ///
    /// - Parameters:
    ///   - prefix: a plain string prefix (not necessarily a whole segment); empty lists everything.
    ///   - continuation: the token from the previous page, or nil for the first.
    ///   - limit: the most objects in this page (1...1000).
    func list(prefix: String, continuation: String?, limit: Int) async throws(ObjectStoreError) -> ObjectListing
}

extension ObjectStore {
    /// Stores `data` with default options.
    @discardableResult
    public func put(_ key: ObjectKey, data: Data) async throws(ObjectStoreError) -> ObjectReceipt {
        try await put(key, data: data, options: PutOptions())
    }

    /// The whole object.
    public func get(_ key: ObjectKey) async throws(ObjectStoreError) -> StoredObject {
        try await get(key, range: nil)
    }

    /// Whether an object exists under `key`.
    public func exists(_ key: ObjectKey) async throws(ObjectStoreError) -> Bool {
        do {
            _ = try await head(key)
            return true
        } catch {
            if case .notFound = error { return false }
            throw error
        }
    }

    /// Every object under `prefix`, following continuation tokens page by page.
    public func listAll(prefix: String, pageSize: Int = 1000) async throws(ObjectStoreError) -> [ObjectSummary] {
        var all: [ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await list(prefix: prefix, continuation: token, limit: pageSize)
            all += page.objects
            token = page.continuation
        } while token != nil
        return all
    }
}
