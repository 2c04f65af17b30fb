/// Why the video decoder stopped: sent as its last message, so that Darkroom can answer with
/// the right status instead of "the process exited".
public struct DecoderFailure: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, which decides the answer's status.
    public enum Kind: String, Codable, Sendable {
        /// A video this build cannot decode (no decoder for its codec): 415.
        case unsupported
        /// Truncated, corrupt or not a video at all: 422.
        case broken
        /// Past a limit on bytes or pixels, found before decoding: 413.
        case limit
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong, for the answer's message.
    public var message: String
    /// For a limit: its setting's name (`max-src-pixels`, `max-src-bytes`), its value and what the video needs.
    public var limit: String?
    public var maximum: Int?
    public var actual: Int?

    /// Creates a failure.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A limit the video is over.
    public static func limit(_ setting: String, maximum: Int, actual: Int, _ message: String) -> DecoderFailure {
        var failure = DecoderFailure(.limit, message)
        failure.limit = setting
        failure.maximum = maximum
        failure.actual = actual
        return failure
    }

    public var description: String { message }
}
