/// What a video's container and stream say, before any frame is decoded.
public struct VideoStreamInfo: Sendable, Equatable {
    /// Coded width and height, before rotation.
    public let width: Int
    /// Coded height.
    public let height: Int
    /// Seconds; 0 when unknown.
    public let duration: Double
    /// Frames per second; 0 when unknown.
    public let fps: Double
    /// Degrees to turn the picture clockwise for display: 0, 90, 180 or 270.
    public let rotation: Int
    /// The codec's short name (`h264`, `vp9`…).
    public let codec: String
}
