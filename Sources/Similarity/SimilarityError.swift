/// Why an index could not answer.
public enum SimilarityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The index's storage failed.
    case storage(String)
    /// The query or entry is not valid (a limit out of range, a signature of another version).
    case invalid(String)
    /// The index location is not one this build knows.
    case invalidConfiguration(String)
    /// No thread was free to verify the candidates (the pixel pool is full): try again.
    case busy(String)

    public var description: String {
        switch self {
        case let .storage(detail): "similarity index failure: \(detail)"
        case let .invalid(detail): "invalid: \(detail)"
        case let .invalidConfiguration(detail): "invalid index configuration: \(detail)"
        case let .busy(detail): "too busy to verify matches: \(detail)"
        }
    }
}
