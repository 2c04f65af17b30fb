public import ImageModel

/// Why a source could not be fetched. Each case maps to one HTTP status.
public enum SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source URL is malformed (400).
    case invalid(String)
    /// The source is not allowed: outside the root, a refused address, a disabled scheme (403).
    case forbidden(String)
    /// The source does not exist (404).
    case notFound(String)
    /// The source is over the byte limit (413).
    case tooLarge(LimitError)
    /// The source could not be reached or read (502).
    case unreachable(String)

    public var description: String {
        switch self {
        case let .invalid(detail): "invalid source: \(detail)"
        case let .forbidden(detail): "source not allowed: \(detail)"
        case let .notFound(detail): "source not found: \(detail)"
        case let .tooLarge(error): "source too large: \(error)"
        case let .unreachable(detail): "source unreachable: \(detail)"
        }
    }
}
