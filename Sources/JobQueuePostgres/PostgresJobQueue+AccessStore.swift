public import Foundation
public import JobQueue
import Logging
import PostgresNIO
import PostgresQuerying

extension PostgresJobQueue: AccessStore {
    public func addKey(_ key: APIKey) async throws(JobQueueError) {
        let record = try key.stored()
        try await statement { connection in
            try await connection.liveQuery("""
                INSERT INTO \(unescaped: self.table)_api_key (id, record, created_at) VALUES (\(key.id), \(record), \(key.createdAt))
                """, logger: self.logger)
        }
    }

    public func keys() async throws(JobQueueError) -> [APIKey] {
        try await statement { connection in
            var keys: [APIKey] = []
            for try await data in try await connection.liveQuery(
                "SELECT record FROM \(unescaped: self.table)_api_key ORDER BY created_at, id", logger: self.logger
            ).decode(Data.self) {
                if let key = APIKey.stored(data) { keys.append(key) }
            }
            return keys
        }
    }

    public func key(id: String) async throws(JobQueueError) -> APIKey? {
        try await statement { connection in
            var found: APIKey?
            for try await data in try await connection.liveQuery(
                "SELECT record FROM \(unescaped: self.table)_api_key WHERE id = \(id)", logger: self.logger
            ).decode(Data.self) { found = APIKey.stored(data) }
            return found
        }
    }

    public func revokeKey(id: String, at: Date) async throws(JobQueueError) -> Bool {
        try await transaction { connection in
            var found: APIKey?
            for try await data in try await connection.liveQuery(
                "SELECT record FROM \(unescaped: self.table)_api_key WHERE id = \(id) FOR UPDATE", logger: self.logger
            ).decode(Data.self) { found = APIKey.stored(data) }
            guard var key = found, key.isActive else { return false }
            key.revokedAt = at
            let record = try key.stored()
            try await connection.liveQuery("UPDATE \(unescaped: self.table)_api_key SET record = \(record) WHERE id = \(id)",
                                       logger: self.logger)
            return true
        }
    }

    public func recordAudit(_ entry: AuditEntry) async throws(JobQueueError) {
        try await statement { connection in
            try await connection.liveQuery("""
                INSERT INTO \(unescaped: self.table)_audit (at, actor, action, target, detail)
                VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.detail))
                """, logger: self.logger)
        }
    }

    public func auditEntries(limit: Int) async throws(JobQueueError) -> [AuditEntry] {
        try await statement { connection in
            var entries: [AuditEntry] = []
            for try await (at, actor, action, target, detail) in try await connection.liveQuery("""
                SELECT at, actor, action, target, detail FROM \(unescaped: self.table)_audit ORDER BY id DESC LIMIT \(max(0, limit))
                """, logger: self.logger).decode((Date, String, String, String, String?).self) {
                entries.append(AuditEntry(at: at, actor: actor, action: action, target: target, detail: detail))
            }
            return entries
        }
    }
}
