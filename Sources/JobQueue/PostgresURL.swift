public import Foundation

/// A PostgreSQL connection URL, `postgres://user:password@host:port/database`, parsed: the
/// queue location checks it without linking a PostgreSQL driver, and the PostgreSQL backend
/// builds its client settings from it.
public struct PostgresURL: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    /// The database; nil for the server's default.
    public let database: String?

    /// Parses `url`.
    /// - Throws: ``JobQueueError/invalidConfiguration(_:)`` naming the expected form.
    public init(_ url: String) throws(JobQueueError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty, let user = components.user else {
            throw .invalidConfiguration("expected postgres://user:password@host:port/database, got '\(url)'")
        }
        let database = String(components.path.dropFirst())
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        self.database = database.isEmpty ? nil : database
    }
}
