import Foundation
public import HTTPTypes
public import Hummingbird
public import JobQueue
import Synchronization

/// Authenticates every `/v1` request and checks that its key may do what the request asks.
///
/// * `Authorization: Bearer <token>` carries the configured `--api-token` (an admin) or an API
///   key (`drk_<id>_<secret>`), looked up by id and matched on the hash of its secret.
/// * A wrong, unknown or revoked key gets a 401; a key whose scope is too small, a 403;
///   one past its rate, a 429 with `Retry-After`. Each answer says why.
/// * With no token configured and no key ever issued, the API is open (the embedded
///   defaults): the request runs as ``Principal/anonymous``. The first key closes it.
public struct APIKeyMiddleware<Context: AuthenticatedContext>: RouterMiddleware {
    let apiToken: String?
    let keys: (any AccessStore)?
    let defaultRate: Double
    let limiter: RateLimiter
    private let openness: OpennessCache

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - apiToken: the shared token, an admin key; nil for none.
    ///   - keys: where API keys live (the queue's database); nil for none.
    ///   - defaultRate: requests per second a key may make unless it has its own rate; 0 for no limit.
    init(apiToken: String?, keys: (any AccessStore)?, defaultRate: Double, limiter: RateLimiter = RateLimiter()) {
        self.apiToken = apiToken
        self.keys = keys
        self.defaultRate = defaultRate
        self.limiter = limiter
        openness = OpennessCache()
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
            if try await isOpen() { return .anonymous }
            throw Self.unauthorized("expected Authorization: Bearer <api key>")
        }
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst("Bearer ".count)), !token.isEmpty else {
            throw Self.unauthorized("expected Authorization: Bearer <api key>")
        }
        if let apiToken, APIKey.constantTimeEqual(token, apiToken) {
            try limit("api-token", rate: defaultRate)
            return Principal(actor: "api-token", scope: .admin)
        }
        guard let (id, secret) = APIKey.parse(token: token) else {
            throw Self.unauthorized("the bearer token is not the API token nor an API key (drk_<id>_<secret>)")
        }
        guard let key = try await keys?.key(id: id), key.matches(secret: secret) else {
            throw Self.unauthorized("unknown API key or wrong secret")
        }
        guard key.isActive else { throw Self.unauthorized("API key \(id) was revoked") }
        try limit(id, rate: key.requestsPerSecond ?? defaultRate)
        return Principal(key: key)
    }

    private func limit(_ actor: String, rate: Double) throws {
        if let wait = limiter.take(actor, rate: rate) {
            throw ServiceError(status: 429, error: "rate limited",
                               detail: "key \(actor) is limited to \(rate.formatted()) requests per second", retryAfter: wait)
        }
    }

    /// Whether requests may come without a key: no token and no key ever issued. The store
    /// is asked at most once a second, so the first key made by `darkroom keys create`
    /// closes the API within a second, without a query per request.
    private func isOpen() async throws -> Bool {
        guard apiToken == nil else { return false }
        guard let keys else { return true }
        if let known = openness.fresh() { return known }
        let open = try await !keys.hasKeys()
        openness.store(open)
        return open
    }

    private static func unauthorized(_ detail: String) -> ServiceError {
        ServiceError(status: 401, error: "unauthorized", detail: detail)
    }

    /// The scope a `/v1` request needs. Reading needs `read`; searching (a POST that reads) too;
    /// uploading, submitting and running models need `submit`; acting on others' jobs and
    /// workers (cancel, retry, purge, drain), keys and the audit log need `admin`.
    public static func requiredScope(method: HTTPRequest.Method, path: String) -> APIScope {
        let parts = path.split(separator: "/").dropFirst()     // past "v1"
        let adminOnly: Set<Substring> = ["keys", "audit"]
        if let first = parts.first, adminOnly.contains(first) { return .admin }
        if method == .get || method == .head { return .read }
        if let last = parts.last, ["cancel", "retry", "purge", "drain"].contains(last) { return .admin }
        if parts.first == "search" { return .read }
        return .submit
    }
}

/// The last answer to "are there active keys?", good for one second.
final class OpennessCache: Sendable {
    private let state = Mutex<(open: Bool, at: ContinuousClock.Instant)?>(nil)

    func fresh() -> Bool? {
        state.withLock { state in
            guard let state, ContinuousClock.now - state.at < .seconds(1) else { return nil }
            return state.open
        }
    }

    func store(_ open: Bool) {
        state.withLock { $0 = (open, ContinuousClock.now) }
    }
}
