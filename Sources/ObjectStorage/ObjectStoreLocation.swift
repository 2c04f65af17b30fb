public import Foundation

/// Where objects live, as written in configuration: `file:./data`, `memory:` or
/// `s3://bucket/prefix?endpoint=…`.
public enum ObjectStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// A ``MemoryObjectStore``.
    case memory
    /// A ``LocalObjectStore`` at this path.
    case folder(String)
    /// An S3 store (`ObjectStorageS3`) described by this `s3://` URL, resolved against the environment when opened.
    case s3(String)

    /// Parses a location.
    /// - Throws: ``ObjectStoreError/invalidConfiguration(_:)`` for anything else.
    public init(_ text: String) throws(ObjectStoreError) {
        let lowered = text.lowercased()
        if lowered == "memory:" || lowered == "memory://" {
            self = .memory
        } else if lowered.hasPrefix("file://") {
            self = .folder(String(text.dropFirst("file://".count)))
        } else if lowered.hasPrefix("file:") {
            self = .folder(String(text.dropFirst("file:".count)))
        } else if lowered.hasPrefix("s3://") {
            self = .s3(text)
        } else {
            throw .invalidConfiguration("expected file:PATH, s3://bucket/prefix?… or memory:, got '\(text)'")
        }
        if case .folder(let path) = self, path.isEmpty { throw .invalidConfiguration("file: needs a folder, as in file:./data") }
    }

    public var description: String {
        switch self {
        case .memory: "memory:"
        case let .folder(path): "file:\(path)"
        case let .s3(url): url
        }
    }

    /// Splits an object URL such as `s3://bucket/photos/a.jpg?region=eu-west-1` into the
    /// location of its store (the bucket, with the query) and the key.
    /// - Throws: ``ObjectStoreError/invalidConfiguration(_:)`` or ``ObjectStoreError/invalidKey(_:reason:)``.
    public static func splitObjectURL(_ url: String) throws(ObjectStoreError) -> (store: ObjectStoreLocation, key: ObjectKey) {
        guard url.lowercased().hasPrefix("s3://") else { throw .invalidConfiguration("expected s3://bucket/key, got '\(url)'") }
        let withoutScheme = url.dropFirst("s3://".count)
        let (path, query) = withoutScheme.firstIndex(of: "?").map { (withoutScheme[..<$0], withoutScheme[$0...]) }
            ?? (withoutScheme[...], ""[...])
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            throw .invalidConfiguration("expected s3://bucket/key, got '\(url)' (no key)")
        }
        let rawKey = String(path[path.index(after: slash)...])
        let key = try ObjectKey(rawKey.removingPercentEncoding ?? rawKey)
        return (.s3("s3://\(path[..<slash])\(query)"), key)
    }
}
