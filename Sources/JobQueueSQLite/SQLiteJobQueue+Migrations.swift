import GRDB
import JobQueue
import Scheduling

extension SQLiteJobQueue {
    /// Versioned schema changes, applied in order once each.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs") { db in
            try db.create(table: Job.databaseTableName) { t in
                t.column("id", .text).primaryKey()
                t.column("queue", .text).notNull()
                t.column("payload", .blob).notNull()
                t.column("priority", .integer).notNull()
                t.column("runAt", .datetime).notNull()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull()
                t.column("maxAttempts", .integer).notNull()
                t.column("idempotencyKey", .text).unique()
                t.column("batchID", .text)
                t.column("leaseToken", .text)
                t.column("leaseExpiresAt", .datetime)
                t.column("result", .blob)
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            // The claim query's exact shape: one queue's due jobs by priority, then due time.
            try db.create(index: "job_claim", on: Job.databaseTableName, columns: ["queue", "status", "priority", "runAt"])
            try db.create(index: "job_lease", on: Job.databaseTableName, columns: ["status", "leaseExpiresAt"])
            try db.create(index: "job_batch", on: Job.databaseTableName, columns: ["batchID"])
        }
        migrator.registerMigration("v2: claim index in claim order") { db in
            // The claim's ORDER BY (priority DESC, then due, then created, then rowid) read straight off
            // the index: the first due row is the answer, instead of sorting every queued job per claim.
            try db.execute(sql: "DROP INDEX job_claim")
            try db.execute(sql: "CREATE INDEX job_claim ON job (queue, status, priority DESC, runAt, createdAt)")
        }
        migrator.registerMigration("v3: worker registry") { db in
            try db.execute(sql: "ALTER TABLE job ADD COLUMN claimedBy TEXT")
            try db.execute(sql: """
                CREATE TABLE worker (id TEXT PRIMARY KEY, record BLOB NOT NULL, lastSeen DATETIME NOT NULL,
                                     alive BOOLEAN NOT NULL)
                """)
        }
        migrator.registerMigration("v4: scheduling") { db in
            // What a job needs and how the scheduler sees it, which worker it is assigned to, and
            // the scheduler's term (one row).
            try db.execute(sql: """
                ALTER TABLE job ADD COLUMN resources TEXT NOT NULL
                    DEFAULT '{"cpu":1,"gpu":0,"gpu_memory_mb":0,"memory_mb":0}'
                """)
            try db.execute(sql: "ALTER TABLE job ADD COLUMN cost DOUBLE NOT NULL DEFAULT 1")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN kind TEXT")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN affinityKey TEXT")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN assignedTo TEXT")
            try db.execute(sql: "ALTER TABLE job ADD COLUMN assignedGPU INTEGER")
            try db.execute(sql: "CREATE INDEX job_assigned ON job (assignedTo) WHERE assignedTo IS NOT NULL")
            try db.execute(sql: "CREATE INDEX job_claimed ON job (claimedBy) WHERE status = 'running'")
            try db.execute(sql: """
                CREATE TABLE scheduler (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,
                                        renewedAt DATETIME NOT NULL)
                """)
        }
        migrator.registerMigration("v5: demand index") { db in
            try db.execute(sql: """
                CREATE INDEX job_demands ON job (queue, resources)
                    WHERE status = 'queued' AND resources <> '\(ResourceRequest.defaultStoredJSON)'
                """)
        }
        migrator.registerMigration("v6: API keys and the audit log") { db in
            try db.execute(sql: "CREATE TABLE api_key (id TEXT PRIMARY KEY, record BLOB NOT NULL, createdAt DATETIME NOT NULL)")
            try db.execute(sql: """
                CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, actor TEXT NOT NULL,
                                    action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT)
                """)
        }
        migrator.registerMigration("v7: trace context") { db in
            // The producer's W3C traceparent, so a job's spans join the trace that enqueued it.
            try db.execute(sql: "ALTER TABLE job ADD COLUMN traceParent TEXT")
        }
        return migrator
    }
}
