import Foundation

/// Where jobs live, as written in configuration: `sqlite:./data/queue.db`, `postgres://…` or `memory:`.
public enum JobQueueLocation: Sendable, Equatable, CustomStringConvertible {
    case memory
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL URL, `postgres://user:password@host:port/database`.
    case postgres(url: String)

    /// Parses a location.
    /// - Throws: ``JobQueueError/invalidConfiguration(_:)`` naming what was expected.
    public init(_ text: String) throws(JobQueueError) {
        let lowered = text.lowercased()
        if lowered == "memory:" {
            self = .memory
        } else if lowered.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw .invalidConfiguration("sqlite: needs a file, as in sqlite:./data/queue.db") }
            self = .sqlite(path: path)
        } else if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            _ = try PostgresURL(text)
            self = .postgres(url: text)
        } else {
            throw .invalidConfiguration("expected sqlite:PATH, postgres://user:password@host:port/db or memory:, got '\(text)'")
        }
    }

    public var description: String {
        switch self {
        case .memory: "memory:"
        case let .sqlite(path): "sqlite:\(path)"
        case let .postgres(url): url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
        }
    }
}
