/// One 8-bit grey plane, row by row without padding: the plain buffer Vision takes, so that it
/// depends on no image library above it.
public struct GreyPixels: Sendable {
    public let width: Int
    public let height: Int
    /// `width × height` bytes.
    public let bytes: [UInt8]

    /// A plane; `bytes` must hold `width × height` values.
    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(width >= 0 && height >= 0 && bytes.count == width * height, "GreyPixels: \(bytes.count) bytes for \(width)×\(height)")
        self.width = width
        self.height = height
        self.bytes = bytes
    }
}
