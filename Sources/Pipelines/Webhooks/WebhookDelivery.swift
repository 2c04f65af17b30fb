import Foundation

/// The payload of a job in the `webhooks` queue: one POST to make, retried by the queue with
/// back-off and jitter until it gets a 2xx or runs out of attempts.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    /// The queue deliveries go to.
    public static let queue = "webhooks"
    /// Attempts before a delivery goes to the dead letters (back-off doubles up to its cap).
    public static let maxAttempts = 8

    public let url: String
    /// The environment variable with the HMAC key; nil sends the POST unsigned.
    public let secretEnv: String?
    /// The JSON body, exactly as it is signed.
    public let body: String

    /// Describes a delivery.
    public init(url: String, secretEnv: String?, body: String) {
        self.url = url
        self.secretEnv = secretEnv
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case url, body
        case secretEnv = "secret_env"
    }
}
