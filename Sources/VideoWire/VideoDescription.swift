/// What the video decoder says about a video before decoding a frame: its first message.
public struct VideoDescription: Codable, Sendable, Equatable {
    /// Coded width, before the display rotation.
    public var width: Int
    /// Coded height, before the display rotation.
    public var height: Int
    /// Seconds; 0 when the container does not say (a live stream).
    public var duration: Double
    /// Frames per second (the stream's average); 0 when unknown.
    public var fps: Double
    /// The decoder's short name (`h264`, `vp9`, `av1`…).
    public var codec: String
    /// Degrees to turn the picture clockwise for display: 0, 90, 180 or 270.
    public var rotation: Int

    /// Creates a description.
    public init(width: Int, height: Int, duration: Double, fps: Double, codec: String, rotation: Int) {
        self.width = width
        self.height = height
        self.duration = duration
        self.fps = fps
        self.codec = codec
        self.rotation = rotation
    }

    /// The size as shown: width and height swapped for a quarter turn.
    public var displayed: (width: Int, height: Int) {
        rotation == 90 || rotation == 270 ? (height, width) : (width, height)
    }
}
