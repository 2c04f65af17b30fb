/// A hash of any whole number of 64-bit words; near-identical images have hashes a small
/// Hamming distance apart. Encoded as hex, the first bit highest.
public struct BinaryHash: Sendable, Hashable, HexCodable {
    /// The bits, 64 to a word, the first bit in the highest bit of the first word.
    public let words: [UInt64]

    /// Wraps words.
    public init(words: [UInt64]) { self.words = words }

    /// Packs `flags`, the first flag into the highest bit; a partial last word is padded with zeros.
    public init(flags: [Bool]) {
        var words = [UInt64](repeating: 0, count: (flags.count + 63) / 64)
        for (index, flag) in flags.enumerated() where flag {
            words[index / 64] |= 1 << UInt64(63 - index % 64)
        }
        self.words = words
    }

    /// Parses hex digits, 16 per word.
    public init?(hex: String) {
        guard !hex.isEmpty, hex.count % 16 == 0 else { return nil }
        var words: [UInt64] = []
        var rest = Substring(hex)
        while !rest.isEmpty {
            guard let word = UInt64(rest.prefix(16), radix: 16) else { return nil }
            words.append(word)
            rest = rest.dropFirst(16)
        }
        self.words = words
    }

    /// The number of bits.
    public var bitCount: Int { words.count * 64 }

    /// Differing bits; hashes of different lengths are as far apart as can be.
    public func distance(to other: BinaryHash) -> Int {
        guard words.count == other.words.count else { return max(bitCount, other.bitCount) }
        return zip(words, other.words).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
    }

    /// Lowercase hex, 16 digits per word.
    public var description: String {
        words.map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
