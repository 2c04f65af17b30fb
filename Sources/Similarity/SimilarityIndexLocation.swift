import Foundation

/// Where an index lives, as written in configuration: `sqlite:./data/index.db`,
/// `postgres://user:password@host:port/db` or `memory:`.
public enum SimilarityIndexLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)
    case memory

    /// Parses a location.
    /// - Throws: ``SimilarityError/invalidConfiguration(_:)`` naming what is accepted.
    public init(_ text: String) throws(SimilarityError) {
        if text == "memory:" {
            self = .memory
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .invalidConfiguration("sqlite: needs a file, as in sqlite:./data/index.db") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw .invalidConfiguration("expected sqlite:PATH, postgres://… or memory:, got '\(text)'")
        }
    }

    public var description: String {
        switch self {
        case let .sqlite(path): "sqlite:\(path)"
        case .memory: "memory:"
        // The password stays out of logs.
        case let .postgres(url): url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
        }
    }
}
