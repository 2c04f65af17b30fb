extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: digests, signatures and cache keys.
    ///
    /// Built from a digit table rather than `String(format: "%02x")`, which goes through
    /// Foundation's formatter on Linux and cost a cached image request about a quarter of its
    /// CPU (two 32-byte keys a request).
    public var hexDigits: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigitTable[Int(byte >> 4)])
            text.append(hexDigitTable[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private let hexDigitTable = Array("0123456789abcdef".utf8)
