/// What Darkroom asks the video decoder for, after the description: frames, each answered by
/// ``VideoMessage/frame(_:_:)`` messages and one ``VideoMessage/done``.
public struct FrameCommand: Codable, Sendable, Equatable {
    /// Which frames.
    public enum Selection: Codable, Sendable, Equatable {
        /// The frame shown at this second: the first at or after it, the last one past the end.
        case at(Double)
        /// From the start, the first frame at or after every multiple of `seconds`, at most `limit` frames.
        case every(seconds: Double, limit: Int)
        /// From the start, the key frames only (the decoder skips every other frame), at most `limit`.
        case keyFrames(limit: Int)
        /// The frame shown at each of these seconds, in order, as ``at(_:)`` finds it; ascending
        /// times are found in one pass forward, seeking only past a key frame (at most
        /// ``maxTimes``, to keep the command within the header limit).
        case times([Double])
    }

    /// The most times one ``Selection/times(_:)`` command may name.
    public static let maxTimes = 1000

    /// Which frames.
    public var selection: Selection
    /// The coded width and height to scale each frame to; nil keeps the frame's own size.
    public var size: FrameSize?

    /// Creates a command.
    public init(_ selection: Selection, size: FrameSize? = nil) {
        self.selection = selection
        self.size = size
    }
}

/// A frame's width and height in pixels.
public struct FrameSize: Codable, Sendable, Equatable {
    /// Pixels across.
    public var width: Int
    /// Pixels down.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
