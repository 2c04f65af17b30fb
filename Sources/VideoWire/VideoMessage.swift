/// What the video decoder writes on its standard output, in order: one description, then for
/// each command its frames and a `done`; a `failure` ends the conversation at any point.
public enum VideoMessage: Sendable, Equatable {
    /// The video's facts, before any frame is decoded.
    case description(VideoDescription)
    /// One frame and its packed 8-bit RGB pixels (`width * height * 3` bytes).
    case frame(FrameHeader, [UInt8])
    /// The command's frames are all sent.
    case done
    /// An encoded file (the answer to an encoding session).
    case output([UInt8])
    /// The decoder stopped; it exits after sending this.
    case failure(DecoderFailure)
}
