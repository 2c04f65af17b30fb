public import Foundation

/// One administrative action, kept so operators can see who did what: retries, cancels,
/// purges, drains and key changes.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// When it happened.
    public var at: Date
    /// Who did it: an API key's id, `api-token` for the configured token, or `cli`.
    public var actor: String
    /// What was done, such as `job.retry`, `worker.drain` or `key.revoke`.
    public var action: String
    /// What it was done to: a job id, a worker id, a key id, a queue name.
    public var target: String
    /// Anything else worth keeping (how many jobs a purge removed, say).
    public var detail: String?

    /// Creates an entry.
    public init(at: Date = Date(), actor: String, action: String, target: String, detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
