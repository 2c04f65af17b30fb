/// Why a message could not be read or written.
public enum VideoWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The other side closed the pipe in the middle of a message.
    case truncated
    /// The bytes are not a message of this format.
    case malformed(String)
    /// A message declares more bytes than the reader allows.
    case tooLarge(declared: Int, limit: Int)
    /// The system refused a read or write (`errno`).
    case system(Int32)

    public var description: String {
        switch self {
        case .truncated: "the video decoder's pipe closed in the middle of a message"
        case let .malformed(detail): "the video decoder sent a malformed message: \(detail)"
        case let .tooLarge(declared, limit): "a message of \(declared) bytes is over the limit of \(limit)"
        case let .system(code): "the video decoder's pipe failed (errno \(code))"
        }
    }
}
