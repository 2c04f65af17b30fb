/// Where a pipeline reports each finished job.
public struct WebhookSpec: Sendable, Equatable, Codable {
    /// Receives a JSON POST.
    public let url: String
    /// The environment variable holding the HMAC-SHA256 key, so the secret stays out of the spec.
    public let secretEnv: String?

    /// Creates a webhook spec.
    public init(url: String, secretEnv: String? = nil) {
        self.url = url
        self.secretEnv = secretEnv
    }

    enum CodingKeys: String, CodingKey {
        case url
        case secretEnv = "secret_env"
    }
}
