public import Foundation

/// One page of a listing.
public struct ObjectListing: Sendable, Equatable {
    /// The objects in this page, in key order.
    public var objects: [ObjectSummary]
    /// Pass this to the next ``ObjectStore/list(prefix:continuation:limit:)`` call; nil on the last page.
    public var continuation: String?

    /// Creates a page.
    public init(objects: [ObjectSummary], continuation: String?) {
        self.objects = objects
        self.continuation = continuation
    }
}

/// What a listing says about one object.
public struct ObjectSummary: Sendable, Equatable {
    /// The object's key.
    public var key: ObjectKey
    /// Its size in bytes.
    public var size: Int
    /// Its ETag (without quotes).
    public var etag: String
    /// When it was last written.
    public var lastModified: Date

    /// Creates a summary.
    public init(key: ObjectKey, size: Int, etag: String, lastModified: Date) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}
