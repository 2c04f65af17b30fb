/// Which frames of a video a pipeline looks at (`frames:`): at a fixed interval, the key
/// frames, or the frames where the picture changes; never more than `max`.
public struct FrameSelection: Sendable, Equatable {
    /// How frames are chosen.
    public enum Rule: Sendable, Equatable {
        /// The first frame at or after every multiple of this many seconds.
        case every(Double)
        /// The key frames (the encoder's own choice of scene starts, and cheap to decode).
        case keyFrames
        /// The first frame, then each frame whose picture differs from the last one chosen by
        /// at least this share (0 to 1) of the range, on average over pixels and channels.
        case sceneChange(Double)
    }

    public let rule: Rule
    /// The most frames looked at.
    public let max: Int

    /// The ranges a selection must fall in.
    public static let maxRange = 1...10_000
    public static let everyRange = 0.04...86_400.0
    public static let sceneChangeRange = 0.01...1.0

    /// A selection, checked: `max` within ``maxRange``, the interval and the threshold within theirs.
    ///
    /// - Throws: ``MediaError/unsupported(_:)`` naming the range missed.
    public init(_ rule: Rule, max: Int = 500) throws(MediaError) {
        guard Self.maxRange.contains(max) else { throw .unsupported("frames: max must be \(Self.maxRange.lowerBound)...\(Self.maxRange.upperBound)") }
        switch rule {
        case let .every(seconds) where !Self.everyRange.contains(seconds):
            throw .unsupported("frames: every must be from 40ms to 24h")
        case let .sceneChange(share) where !Self.sceneChangeRange.contains(share):
            throw .unsupported("frames: scene_change must be from 0.01 to 1")
        default: break
        }
        self.rule = rule
        self.max = max
    }
}
