public import HTTPTypes
public import Hummingbird
public import JobQueue

/// Authenticates every `/v1` request and checks that its key may do what the request asks.
///
/// * `Authorization: Bearer <token>` carries the configured `--api-token` (an admin) or an API
///   key (`drk_<id>_<secret>`), looked up by id and matched on the hash of its secret.
/// * A wrong, unknown or revoked key gets a 401; a key whose scope is too small, a 403;
///   one past its rate, a 429 with `Retry-After`. Each answer says why.
/// * With no token configured and no key ever issued, the API is open (the embedded
///   defaults): the request runs as ``Principal/anonymous``. The first key closes it.
public struct APIKeyMiddleware<Context: AuthenticatedContext>: RouterMiddleware {
    let verifier: APIKeyVerifier

    /// Creates the middleware over the verifier the console shares.
    init(verifier: APIKeyVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let principal = try await authenticate(request)
        let needed = Self.requiredScope(method: request.method, path: request.uri.path)
        guard principal.scope.grants(needed) else {
            throw ServiceError(status: 403, error: "forbidden",
                               detail: "key \(principal.actor) has scope \(principal.scope.rawValue); \(request.method) \(request.uri.path) needs \(needed.rawValue)")
        }
        context.principal = principal
        return try await next(request, context)
    }

    /// Who the request comes from, or the 401 (or 429) that says why it may not come in.
    func authenticate(_ request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization] else {
            if try await verifier.isOpen() { return .anonymous }
            throw APIKeyVerifier.unauthorized("expected Authorization: Bearer <api key>")
        }
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst("Bearer ".count)), !token.isEmpty else {
            throw APIKeyVerifier.unauthorized("expected Authorization: Bearer <api key>")
        }
        return try await verifier.principal(token: token)
    }

    /// The scope a `/v1` request needs. Reading needs `read`; searching (a POST that reads) too;
    /// uploading, submitting and running models need `submit`; acting on others' jobs and
    /// workers (cancel, retry, purge, drain), adding and removing streams, keys and the audit
    /// log need `admin`.
    public static func requiredScope(method: HTTPRequest.Method, path: String) -> APIScope {
        let parts = path.split(separator: "/").dropFirst()     // past "v1"
        let adminOnly: Set<Substring> = ["keys", "audit"]
        if let first = parts.first, adminOnly.contains(first) { return .admin }
        if method == .get || method == .head { return .read }
        // A stream holds a worker slot for as long as it lives and opens network connections.
        if parts.first == "streams" { return .admin }
        if let last = parts.last, ["cancel", "retry", "purge", "drain"].contains(last) { return .admin }
        if parts.first == "search" { return .read }
        return .submit
    }
}
