/// One decoded frame as packed 8-bit RGB, in the video's coded orientation.
public struct VideoSample: Sendable {
    /// Its presentation time, in seconds.
    public let seconds: Double
    /// Pixels across.
    public let width: Int
    /// Pixels down.
    public let height: Int
    /// `width * height * 3` bytes, row by row.
    public let rgb: [UInt8]

    /// A frame.
    public init(seconds: Double, width: Int, height: Int, rgb: [UInt8]) {
        self.seconds = seconds
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}
