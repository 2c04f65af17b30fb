public import Foundation
import GRDB
public import JobQueue

extension SQLiteJobQueue: AccessStore {
    public func addKey(_ key: APIKey) async throws(JobQueueError) {
        let record = try key.stored()
        try await write { db in
            try db.execute(sql: "INSERT INTO api_key (id, record, createdAt) VALUES (?, ?, ?)",
                           arguments: [key.id, record, key.createdAt])
        }
    }

    public func keys() async throws(JobQueueError) -> [APIKey] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT record FROM api_key ORDER BY createdAt, id").compactMap { APIKey.stored($0["record"]) }
        }
    }

    public func key(id: String) async throws(JobQueueError) -> APIKey? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT record FROM api_key WHERE id = ?", arguments: [id]).flatMap { APIKey.stored($0["record"]) }
        }
    }

    public func revokeKey(id: String, at: Date) async throws(JobQueueError) -> Bool {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT record FROM api_key WHERE id = ?", arguments: [id]),
                  var key = APIKey.stored(row["record"]), key.isActive else { return false }
            key.revokedAt = at
            try db.execute(sql: "UPDATE api_key SET record = ? WHERE id = ?", arguments: [try key.stored(), id])
            return true
        }
    }

    public func recordAudit(_ entry: AuditEntry) async throws(JobQueueError) {
        try await write { db in
            try db.execute(sql: "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                           arguments: [entry.at, entry.actor, entry.action, entry.target, entry.detail])
        }
    }

    public func auditEntries(limit: Int) async throws(JobQueueError) -> [AuditEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?",
                             arguments: [max(0, limit)]).map { row in
                AuditEntry(at: row["at"], actor: row["actor"], action: row["action"], target: row["target"], detail: row["detail"])
            }
        }
    }
}
