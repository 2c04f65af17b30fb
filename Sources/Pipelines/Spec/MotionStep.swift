public import Media

/// A pipeline's `motion:` step: what a stream running the pipeline samples and how motion in
/// it is judged, and whether event snapshots are blurred.
/// `motion: {every: 100ms, width: 640, min_area: 0.01, dwell: 300ms, threshold: 25, blur_faces: 25}`.
public struct MotionStep: Sendable, Equatable {
    /// Seconds between the frames sampled (0.1: ten a second).
    public let every: Double
    /// Pixels across each sampled frame is scaled to (the height in proportion).
    public let width: Int
    /// The detector's settings: least area, dwell, threshold.
    public let detector: MotionDetector.Settings
    /// The sigma every face in an event's snapshot is blurred with (`blur_faces: 25`), so that
    /// stored snapshots identify nobody; nil stores them as seen.
    public let blurFaces: Double?

    /// The ranges each field must fall in.
    public static let everyRange = 0.02...10.0
    public static let widthRange = 32...1920

    /// A step from values already checked against the ranges above.
    public init(every: Double = 0.1, width: Int = 640, detector: MotionDetector.Settings = MotionDetector.Settings(),
                blurFaces: Double? = nil) {
        self.blurFaces = blurFaces
        self.every = every
        self.width = width
        self.detector = detector
    }
}
