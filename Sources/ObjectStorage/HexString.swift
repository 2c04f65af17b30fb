/// Lower-case hexadecimal text of bytes (ETags, SigV4 signatures), for the stores and their backends.
package enum HexString {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The bytes as two lower-case hex digits each.
    package static func of<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
