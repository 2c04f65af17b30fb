public import JobQueue
import Logging
import PostgresNIO
import PostgresQuerying
import Scheduling

extension PostgresJobQueue {
    /// Versioned schema changes, each applied once, under an advisory lock so that workers
    /// starting together do not race.
    public func migrate() async throws(JobQueueError) {
        // Each migration is a list of statements (a function body has semicolons of its own).
        let migrations: [[String]] = [
            [
                """
                CREATE TABLE \(table) (
                    id TEXT PRIMARY KEY, seq BIGSERIAL, queue TEXT NOT NULL, payload BYTEA NOT NULL, priority INT NOT NULL,
                    run_at TIMESTAMPTZ NOT NULL, status TEXT NOT NULL, attempts INT NOT NULL, max_attempts INT NOT NULL,
                    idempotency_key TEXT UNIQUE, batch_id TEXT, lease_token TEXT, lease_expires_at TIMESTAMPTZ,
                    result BYTEA, last_error TEXT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)
                """,
                "CREATE INDEX \(table)_claim ON \(table) (queue, priority DESC, run_at, created_at, seq) WHERE status = 'queued'",
                "CREATE INDEX \(table)_lease ON \(table) (lease_expires_at) WHERE status = 'running'",
                "CREATE INDEX \(table)_batch ON \(table) (batch_id) WHERE batch_id IS NOT NULL",
            ],
            [
                // Wake listening workers in every process whenever a job becomes claimable.
                """
                CREATE FUNCTION \(table)_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('\(table)', NEW.queue); RETURN NULL; END $$
                """,
                """
                CREATE TRIGGER \(table)_notify AFTER INSERT OR UPDATE OF status ON \(table)
                FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION \(table)_notify()
                """,
                // Retention deletes finished jobs by age.
                "CREATE INDEX \(table)_finished ON \(table) (updated_at) WHERE status IN ('completed', 'cancelled')",
            ],
            [
                // The worker registry, and which worker claimed a job, so a dead worker's jobs return at once.
                "ALTER TABLE \(table) ADD COLUMN claimed_by TEXT",
                """
                CREATE TABLE \(table)_worker (id TEXT PRIMARY KEY, record BYTEA NOT NULL, last_seen TIMESTAMPTZ NOT NULL,
                                               alive BOOL NOT NULL)
                """,
            ],
            [
                // What a job needs and how the scheduler sees it, its assignment, and the
                // scheduler's term (one row, written by the advisory lock's holder).
                """
                ALTER TABLE \(table) ADD COLUMN resources TEXT NOT NULL
                    DEFAULT '{"cpu":1,"gpu":0,"gpu_memory_mb":0,"memory_mb":0}'
                """,
                "ALTER TABLE \(table) ADD COLUMN cost DOUBLE PRECISION NOT NULL DEFAULT 1",
                "ALTER TABLE \(table) ADD COLUMN kind TEXT, ADD COLUMN affinity_key TEXT",
                "ALTER TABLE \(table) ADD COLUMN assigned_to TEXT, ADD COLUMN assigned_gpu INT",
                "CREATE INDEX \(table)_assigned ON \(table) (assigned_to) WHERE status = 'queued' AND assigned_to IS NOT NULL",
                "CREATE INDEX \(table)_claimed ON \(table) (claimed_by) WHERE status = 'running'",
                // Whether a job's resources fit within a capacity (as `ResourceRequest.fits(within:)`):
                // pull claims and the scheduler's snapshot share it. Memory 0 means unknown.
                """
                CREATE FUNCTION \(table)_fits(resources TEXT, cpu FLOAT8, memory_mb BIGINT, gpu FLOAT8, gpu_memory_mb BIGINT)
                RETURNS BOOL LANGUAGE sql IMMUTABLE AS $$
                    SELECT (resources::jsonb->>'cpu')::float8 <= cpu
                        AND (memory_mb = 0 OR (resources::jsonb->>'memory_mb')::bigint <= memory_mb)
                        AND ((resources::jsonb->>'gpu')::float8 <= 0
                             OR (gpu > 0 AND (resources::jsonb->>'gpu_memory_mb')::bigint <= gpu_memory_mb))
                $$
                """,
                """
                CREATE TABLE \(table)_scheduler (id INT PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,
                                                  renewed_at TIMESTAMPTZ NOT NULL)
                """,
            ],
            [
                // Queued jobs asking for more than the default: what the unschedulable count reads.
                """
                CREATE INDEX \(table)_demands ON \(table) (queue, resources)
                    WHERE status = 'queued' AND resources <> '\(ResourceRequest.defaultStoredJSON)'
                """,
            ],
            [
                // API keys (the record as JSON, the secret only hashed) and the audit log.
                "CREATE TABLE \(table)_api_key (id TEXT PRIMARY KEY, record BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
                """
                CREATE TABLE \(table)_audit (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, actor TEXT NOT NULL,
                                              action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT)
                """,
            ],
            [
                // The producer's W3C traceparent, so a job's spans join the trace that enqueued it.
                "ALTER TABLE \(table) ADD COLUMN trace_parent TEXT",
            ],
        ]
        let table = self.table
        // The version table, once per database: under a lock of its own (even CREATE TABLE IF
        // NOT EXISTS races with itself), and only while it is missing.
        try await transaction { connection in
            var exists = false
            for try await found in try await connection.liveQuery("SELECT to_regclass('darkroom_schema') IS NOT NULL",
                                                               logger: self.logger).decode(Bool.self) { exists = found }
            guard !exists else { return }
            try await connection.liveQuery("SELECT pg_advisory_xact_lock(hashtext('darkroom_schema'))", logger: self.logger)
            try await connection.liveQuery("""
                CREATE TABLE IF NOT EXISTS darkroom_schema (
                    table_name TEXT NOT NULL, version INT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (table_name, version))
                """, logger: self.logger)
        }
        try await transaction { connection in
            // One lock per queue table: processes starting together migrate it once, and a slow
            // migration of one table never holds up another's (a global lock did, for the
            // whole database, while any one migrating process stalled).
            try await connection.liveQuery("SELECT pg_advisory_xact_lock(hashtext('darkroom_schema:' || \(table)))", logger: self.logger)
            var applied = 0
            for try await version in try await connection.liveQuery(
                "SELECT COALESCE(MAX(version), 0) FROM darkroom_schema WHERE table_name = \(table)", logger: self.logger
            ).decode(Int.self) { applied = version }
            for (index, migration) in migrations.enumerated() where index + 1 > applied {
                for statement in migration {
                    try await connection.liveQuery(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.liveQuery(
                    "INSERT INTO darkroom_schema (table_name, version) VALUES (\(table), \(index + 1))", logger: self.logger)
            }
        }
    }
}
