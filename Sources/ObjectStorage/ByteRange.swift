/// An inclusive range of byte offsets, as in HTTP's `Range: bytes=first-last`.
public struct ByteRange: Sendable, Hashable, CustomStringConvertible {
    /// The first byte.
    public let first: Int
    /// The last byte, inclusive; nil reads to the end.
    public let last: Int?

    /// Creates `first...last`, or `first...` when `last` is nil.
    /// - Throws: ``ObjectStoreError/invalidRange(_:)`` when `first` is negative or past `last`.
    public init(first: Int, last: Int? = nil) throws(ObjectStoreError) {
        guard first >= 0, last.map({ $0 >= first }) ?? true else {
            throw .invalidRange("expected 0 ≤ first ≤ last, got \(first)-\(last.map(String.init) ?? "")")
        }
        self.first = first
        self.last = last
    }

    /// The value of an HTTP `Range` header.
    public var httpValue: String { "bytes=\(first)-\(last.map(String.init) ?? "")" }

    public var description: String { "\(first)-\(last.map(String.init) ?? "")" }

    /// The offsets this range selects in an object of `size` bytes.
    /// - Throws: ``ObjectStoreError/invalidRange(_:)`` when it starts at or past the end.
    public func clamped(toSize size: Int) throws(ObjectStoreError) -> Range<Int> {
        guard first < size else { throw .invalidRange("byte \(first) is past the end of a \(size)-byte object") }
        return first..<min(size, (last ?? Int.max - 1) + 1)
    }
}
