/// A 64-bit image hash; near-identical images have hashes a small Hamming distance apart.
///
/// Encoded as 16 hex digits.
public struct PerceptualHash: Sendable, Hashable, HexCodable {
    /// The 64 bits, the first pixel or coefficient in the highest bit.
    public let value: UInt64

    /// Wraps bits.
    public init(_ value: UInt64) { self.value = value }

    /// Parses 16 hex digits.
    public init?(hex: String) {
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.value = value
    }

    /// Number of differing bits, 0–64.
    public func distance(to other: PerceptualHash) -> Int { (value ^ other.value).nonzeroBitCount }

    /// 16 lowercase hex digits.
    public var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
