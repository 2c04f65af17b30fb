import Foundation
import JobQueue
import Synchronization

/// Checks bearer tokens: the configured `--api-token` (an admin) or an API key
/// (`drk_<id>_<secret>`, looked up by id and matched on the hash of its secret), and each
/// key's rate. The `/v1` middleware and the console's log-in share one.
public struct APIKeyVerifier: Sendable {
    let apiToken: String?
    let keys: (any AccessStore)?
    let defaultRate: Double
    let limiter: RateLimiter
    private let openness = OpennessCache()

    /// Creates the verifier.
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
    }

    /// The principal `token` stands for, or the 401 (or 429) that says why it stands for none.
    func principal(token: String) async throws -> Principal {
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

    /// Whether requests may come without a key: no token and no key ever issued. The store
    /// is asked at most once a second, so the first key made by `darkroom keys create`
    /// closes the API within a second, without a query per request.
    func isOpen() async throws -> Bool {
        guard apiToken == nil else { return false }
        guard let keys else { return true }
        if let known = openness.fresh() { return known }
        let open = try await !keys.hasKeys()
        openness.store(open)
        return open
    }

    private func limit(_ actor: String, rate: Double) throws {
        if let wait = limiter.take(actor, rate: rate) {
            throw ServiceError(status: 429, error: "rate limited",
                               detail: "key \(actor) is limited to \(rate.formatted()) requests per second", retryAfter: wait)
        }
    }

    static func unauthorized(_ detail: String) -> ServiceError {
        ServiceError(status: 401, error: "unauthorized", detail: detail)
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
