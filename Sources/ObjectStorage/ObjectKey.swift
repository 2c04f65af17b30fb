/// A validated object key: `/`-separated segments, none empty, `.` or `..`, no control
/// characters, at most ``maxLength`` bytes of UTF-8. The same rules hold on every backend, so a
/// key that works on a laptop works on S3, and no key can climb out of a local root.
public struct ObjectKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest key in UTF-8 bytes, S3's own limit.
    public static let maxLength = 1024

    /// The key as text.
    public let rawValue: String

    /// Validates `rawValue`.
    /// - Throws: ``ObjectStoreError/invalidKey(_:reason:)`` naming the broken rule.
    public init(_ rawValue: String) throws(ObjectStoreError) {
        if let reason = Self.problem(in: rawValue) { throw .invalidKey(rawValue, reason: reason) }
        self.rawValue = rawValue
    }

    /// The key's segments.
    public var segments: [Substring] { rawValue.split(separator: "/", omittingEmptySubsequences: false) }

    /// This key under `prefix` (a validated key joined with `/`).
    public func prefixed(by prefix: String) throws(ObjectStoreError) -> ObjectKey {
        guard !prefix.isEmpty else { return self }
        return try ObjectKey(prefix.hasSuffix("/") ? prefix + rawValue : prefix + "/" + rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        // S3 orders keys by their UTF-8 bytes.
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// What is wrong with `key`, or nil when it is valid.
    package static func problem(in key: String) -> String? {
        if key.isEmpty { return "expected a non-empty key" }
        if key.utf8.count > maxLength { return "expected at most \(maxLength) bytes, got \(key.utf8.count)" }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "control characters are not allowed"
        }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "empty segments (a leading, trailing or doubled '/') are not allowed" }
            if segment == "." || segment == ".." { return "'.' and '..' segments are not allowed" }
        }
        return nil
    }
}
