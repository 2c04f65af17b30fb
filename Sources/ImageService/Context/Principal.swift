public import Hummingbird
public import JobQueue

/// Who is making a `/v1` request, as ``APIKeyMiddleware`` found out: the actor the audit log
/// names, what it may do, and the object-key prefix it is held to.
public struct Principal: Sendable, Equatable {
    /// An API key's id, `api-token` for the configured token, or `anonymous` on an open server.
    public let actor: String
    /// What it may do.
    public let scope: APIScope
    /// The object-key prefix its uploads, sources and reads stay under; nil for anywhere.
    public let prefix: String?

    /// Creates a principal.
    public init(actor: String, scope: APIScope, prefix: String? = nil) {
        self.actor = actor
        self.scope = scope
        self.prefix = prefix
    }

    /// The principal an API key makes.
    public init(key: APIKey) {
        self.init(actor: key.id, scope: key.scope, prefix: key.prefix)
    }

    /// A server with neither an `--api-token` nor any key is open, as the embedded defaults are
    /// for one machine: every request may do everything.
    public static let anonymous = Principal(actor: "anonymous", scope: .admin)

    /// Whether an object key lies under the prefix (always, without one).
    public func allows(objectKey: String) -> Bool {
        prefix.map { objectKey.hasPrefix($0) } ?? true
    }
}

/// A request context that carries the request's ``Principal`` once authentication has run.
public protocol AuthenticatedContext: RequestContext {
    /// Set by ``APIKeyMiddleware`` for `/v1` routes; nil elsewhere.
    var principal: Principal? { get set }
}
