/// What a video's container and stream say, before any frame is decoded.
struct VideoStreamInfo: Sendable, Equatable {
    /// Coded width and height, before rotation.
    let width: Int
    /// Coded height.
    let height: Int
    /// Seconds; 0 when unknown.
    let duration: Double
    /// Frames per second; 0 when unknown.
    let fps: Double
    /// Degrees to turn the picture clockwise for display: 0, 90, 180 or 270.
    let rotation: Int
    /// The codec's short name (`h264`, `vp9`…).
    let codec: String
}
