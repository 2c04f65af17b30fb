/// Why a video could not be opened or decoded, in FFmpeg's words or ours.
struct VideoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    let message: String
    /// True when the video is readable but this build has no decoder for its codec.
    let unsupported: Bool

    /// Creates an error.
    init(_ message: String, unsupported: Bool = false) {
        self.message = message
        self.unsupported = unsupported
    }

    var description: String { message }
}
