/// What `info` reports about a video source, read without decoding a frame.
public struct VideoAttributes: Sendable, Equatable, Codable {
    /// Seconds; 0 when the container does not say.
    public var duration: Double
    /// Frames per second; 0 when unknown.
    public var fps: Double
    /// The codec's short name (`h264`, `vp9`, `av1`…).
    public var codec: String
    /// Degrees the picture is turned for display (0, 90, 180, 270), as its display matrix says.
    public var rotation: Int

    /// Creates attributes.
    public init(duration: Double, fps: Double, codec: String, rotation: Int) {
        self.duration = duration
        self.fps = fps
        self.codec = codec
        self.rotation = rotation
    }
}
