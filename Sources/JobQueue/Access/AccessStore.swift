public import Foundation

/// API keys and the audit log, kept in the queue's database so every node of a cluster sees
/// the same keys. Memory, SQLite and PostgreSQL implement it, and one contract
/// (`AccessStoreContract`) holds them to the same behaviour.
public protocol AccessStore: Sendable {
    /// Stores a newly issued key.
    func addKey(_ key: APIKey) async throws(JobQueueError)
    /// Every key, revoked ones included, oldest first.
    func keys() async throws(JobQueueError) -> [APIKey]
    /// The key with `id`, revoked or not; nil when there is none.
    func key(id: String) async throws(JobQueueError) -> APIKey?
    /// Revokes a key; false when there is no active key with that id.
    func revokeKey(id: String, at: Date) async throws(JobQueueError) -> Bool
    /// Appends to the audit log.
    func recordAudit(_ entry: AuditEntry) async throws(JobQueueError)
    /// The newest `limit` entries, newest first.
    func auditEntries(limit: Int) async throws(JobQueueError) -> [AuditEntry]
}

extension AccessStore {
    /// Whether any key was ever issued: until then, a server without an `--api-token` stays
    /// open, as the embedded defaults are for one machine. Revoking every key does not open it
    /// again.
    public func hasKeys() async throws(JobQueueError) -> Bool {
        try await !keys().isEmpty
    }
}
