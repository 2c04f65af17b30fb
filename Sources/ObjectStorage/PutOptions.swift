/// How to store an object.
public struct PutOptions: Sendable, Equatable {
    /// The MIME type recorded with the object; nil guesses it from the key's extension.
    public var contentType: String?
    /// User metadata: names (lower-cased on write) to values, stored with the object.
    public var metadata: [String: String]

    /// Creates options.
    public init(contentType: String? = nil, metadata: [String: String] = [:]) {
        self.contentType = contentType
        self.metadata = metadata
    }

    /// The content type to record for `key`.
    package func resolvedContentType(for key: ObjectKey) -> String {
        contentType ?? ContentType.guess(for: key.rawValue)
    }

    /// The metadata with lower-cased names, as every backend returns it.
    package var normalisedMetadata: [String: String] {
        Dictionary(metadata.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
