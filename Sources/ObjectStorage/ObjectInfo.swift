public import Foundation

/// What a store knows about one object, without its bytes.
public struct ObjectInfo: Sendable, Equatable {
    /// The object's key.
    public var key: ObjectKey
    /// Its size in bytes.
    public var size: Int
    /// An opaque version tag that changes whenever the object is replaced (without quotes).
    public var etag: String
    /// Its MIME type.
    public var contentType: String
    /// When it was last written.
    public var lastModified: Date
    /// User metadata: lower-case names to values.
    public var metadata: [String: String]

    /// Creates a description.
    public init(key: ObjectKey, size: Int, etag: String, contentType: String, lastModified: Date,
                metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.lastModified = lastModified
        self.metadata = metadata
    }
}

/// What a store confirms after a put.
public struct ObjectReceipt: Sendable, Equatable {
    /// The key written.
    public var key: ObjectKey
    /// The bytes written.
    public var size: Int
    /// The new object's ETag (without quotes).
    public var etag: String

    /// Creates a receipt.
    public init(key: ObjectKey, size: Int, etag: String) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}

/// An object read whole (or the requested range of it).
public struct StoredObject: Sendable {
    /// The object's description; `size` is the whole object's size, also for a range.
    public var info: ObjectInfo
    /// The bytes read.
    public var data: Data

    /// Pairs a description with bytes.
    public init(info: ObjectInfo, data: Data) {
        self.info = info
        self.data = data
    }
}

/// An object being read as a stream.
public struct ObjectDownload: Sendable {
    /// The object's description; `size` is the whole object's size, also for a range.
    public var info: ObjectInfo
    /// The bytes, chunk by chunk.
    public var body: ObjectByteStream

    /// Pairs a description with a stream.
    public init(info: ObjectInfo, body: ObjectByteStream) {
        self.info = info
        self.body = body
    }
}
