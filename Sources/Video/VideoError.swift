/// Why a video could not be opened or decoded, in FFmpeg's words or ours.
public struct VideoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// True when the video is readable but this build has no decoder for its codec.
    public let unsupported: Bool

    /// Creates an error.
    public init(_ message: String, unsupported: Bool = false) {
        self.message = message
        self.unsupported = unsupported
    }

    public var description: String { message }
}
