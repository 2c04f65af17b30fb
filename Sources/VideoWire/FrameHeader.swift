/// One decoded frame's place and size; its packed 8-bit RGB pixels follow it on the wire.
public struct FrameHeader: Codable, Sendable, Equatable {
    /// Its presentation time, in seconds from the start.
    public var seconds: Double
    /// Pixels across (coded orientation: the display rotation is not applied).
    public var width: Int
    /// Pixels down.
    public var height: Int
    /// Frames the decoder has decoded so far under this command, this one included: a live
    /// stream's rate in, beside the rate of frames sampled out (nil from older decoders).
    public var decoded: Int?

    /// Creates a header.
    public init(seconds: Double, width: Int, height: Int, decoded: Int? = nil) {
        self.seconds = seconds
        self.width = width
        self.height = height
        self.decoded = decoded
    }
}
