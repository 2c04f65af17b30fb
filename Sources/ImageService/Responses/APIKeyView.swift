public import JobQueue
import Pipelines

/// An API key as the API and the console show it: everything but the secret's hash.
public struct APIKeyView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let scope: APIScope
    public let prefix: String?
    public let requestsPerSecond: Double?
    public let createdAt: String
    public let revokedAt: String?

    /// The view of `key`.
    public init(_ key: APIKey) {
        id = key.id
        name = key.name
        scope = key.scope
        prefix = key.prefix
        requestsPerSecond = key.requestsPerSecond
        createdAt = WireFormat.timestamp(key.createdAt)
        revokedAt = key.revokedAt.map(WireFormat.timestamp)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, scope, prefix
        case requestsPerSecond = "requests_per_second", createdAt = "created_at", revokedAt = "revoked_at"
    }
}
