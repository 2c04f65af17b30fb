public import JobQueue
public import Foundation
import Logging
public import PostgresNIO
public import Scheduling
import Synchronization

/// Jobs in PostgreSQL, for a cluster of workers: claims lock the chosen row with
/// `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on, or take, each other's jobs.
///
/// The caller owns the `PostgresClient` and runs it (`client.run()`, a Service) for as long as
/// the queue is used. Every state change is one transaction and goes through the same
/// transitions as the other backends (`JobTransitions.swift`).
public final class PostgresJobQueue: JobQueue {
    private let client: PostgresClient
    private let table: String
    private let clock: any JobClock
    private let backoff: RetryBackoff
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let lastReap = Mutex(Date.distantPast)
    private let signal = JobSignal()

    /// Creates a queue in `table` (letters, digits and `_`), which ``migrate()`` creates.
    public init(client: PostgresClient, table: String = "darkroom_job", clock: any JobClock = SystemJobClock(),
                backoff: RetryBackoff = RetryBackoff(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                logger: Logger = Logger(label: "darkroom.queue")) throws(JobQueueError) {
        guard !table.isEmpty, table.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
              table.first?.isLetter == true else {
            throw .invalidConfiguration("table: expected lower-case letters, digits and _, got '\(table)'")
        }
        self.client = client
        self.table = table
        self.clock = clock
        self.backoff = backoff
        self.random = random
        self.logger = logger
    }

    /// The client settings for `postgres://user:password@host:port/database`.
    public static func configuration(url: String) throws(JobQueueError) -> PostgresClient.Configuration {
        let parsed = try PostgresURL(url)
        return PostgresClient.Configuration(host: parsed.host, port: parsed.port, username: parsed.user,
                                            password: parsed.password, database: parsed.database, tls: .disable)
    }

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
        ]
        let table = self.table
        try await transaction { connection in
            // One lock for all migrations: even CREATE TABLE IF NOT EXISTS races with itself.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('darkroom_schema'))", logger: self.logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS darkroom_schema (
                    table_name TEXT NOT NULL, version INT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (table_name, version))
                """, logger: self.logger)
            var applied = 0
            for try await version in try await connection.query(
                "SELECT COALESCE(MAX(version), 0) FROM darkroom_schema WHERE table_name = \(table)", logger: self.logger
            ).decode(Int.self) { applied = version }
            for (index, migration) in migrations.enumerated() where index + 1 > applied {
                for statement in migration {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO darkroom_schema (table_name, version) VALUES (\(table), \(index + 1))", logger: self.logger)
            }
        }
    }

    // MARK: JobQueue

    public func enqueue(_ new: NewJob) async throws(JobQueueError) -> Job {
        let job = new.job(now: clock.now())
        // Workers in this process wake at once; others through the trigger's NOTIFY.
        defer { signal.notify() }
        // One statement in the common case; a second only when the key already existed.
        return try await statement { connection in
            let inserted = try await self.jobs(connection, """
                INSERT INTO \(unescaped: self.table) (id, queue, payload, priority, run_at, status, attempts, max_attempts,
                    idempotency_key, batch_id, created_at, updated_at, resources, cost, kind, affinity_key)
                VALUES (\(job.id), \(job.queue), \(job.payload), \(job.priority), \(job.runAt), \(job.status.rawValue),
                    \(job.attempts), \(job.maxAttempts), \(job.idempotencyKey), \(job.batchID), \(job.createdAt), \(job.updatedAt),
                    \(job.resources.storedJSON), \(job.cost), \(job.kind), \(job.affinityKey))
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING *
                """)
            if let first = inserted.first { return first }
            let existing = try await self.jobs(connection, "SELECT * FROM \(unescaped: self.table) WHERE idempotency_key = \(job.idempotencyKey)")
            guard let first = existing.first else { throw JobQueueError.storage("the job with that idempotency key vanished") }
            return first
        }
    }

    public func claim(from queue: String, limit: Int, leaseFor duration: Duration,
                      by claimant: Claimant?) async throws(JobQueueError) -> [JobLease] {
        let now = clock.now()
        try await reapExpiredLeases(now: now)
        let worker = claimant?.workerID
        let limits = claimant?.limits ?? .unbounded
        let schedulerCutoff = now.addingTimeInterval(-SchedulerLease.ttl)
        let token = UUID().uuidString
        let expiry = now.addingTimeInterval(duration.seconds)
        // One statement, one round trip: lock the most urgent due rows (skipping rows other
        // workers hold) and lease them. The same change as `Job.claimed`, which the contract checks.
        let claimed = try await statement { connection in
            try await self.jobs(connection, """
                UPDATE \(unescaped: self.table) SET status = 'running', attempts = attempts + 1, lease_token = \(token),
                    lease_expires_at = \(expiry), updated_at = \(now), claimed_by = \(worker)
                WHERE id IN (SELECT id FROM \(unescaped: self.table)
                             WHERE queue = \(queue) AND status = 'queued' AND run_at <= \(now)
                                 AND (assigned_to = \(worker) OR (assigned_to IS NULL AND (\(worker)::TEXT IS NULL OR (
                                     NOT EXISTS (SELECT 1 FROM \(unescaped: self.table)_scheduler WHERE renewed_at > \(schedulerCutoff))
                                     AND \(unescaped: self.table)_fits(resources, \(limits.cpu), \(limits.memoryMB), \(limits.gpu),
                                                                      \(limits.gpuMemoryMB))))))
                             ORDER BY priority DESC, run_at, created_at, seq LIMIT \(max(0, limit)) FOR UPDATE SKIP LOCKED)
                RETURNING *
                """)
        }
        // RETURNING has no order; claim order is the promise.
        return claimed.sorted(by: Job.claimsBefore).map { JobLease(job: $0, token: token, expiresAt: expiry) }
    }

    /// Returns jobs whose lease ran out to the queue (or the dead letters), at most once a second
    /// per queue object: the claim path should not pay for a scan on every call.
    private func reapExpiredLeases(now: Date) async throws(JobQueueError) {
        let due = lastReap.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= 1 else { return false }
            last = now
            return true
        }
        guard due else { return }
        try await transaction { connection in
            for job in try await self.jobs(connection, """
                SELECT * FROM \(unescaped: self.table) WHERE status = 'running' AND lease_expires_at <= \(now)
                FOR UPDATE SKIP LOCKED
                """) {
                try await self.save(job.leaseExpired(now: now), on: connection)
            }
        }
    }

    public func heartbeat(_ lease: JobLease, extendBy duration: Duration) async throws(JobQueueError) -> JobLease {
        let now = clock.now()
        let job = try await update(lease) { $0.extended(by: duration, now: now) }
        return JobLease(job: job, token: lease.token, expiresAt: job.leaseExpiresAt!)
    }

    public func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String] {
        guard !completions.isEmpty else { return [] }
        let now = clock.now()
        let ids = completions.map(\.lease.job.id)
        let tokens = completions.map(\.lease.token)
        let results = completions.map { ByteBuffer(bytes: $0.result ?? Data()) }
        let present = completions.map { $0.result != nil }
        // One statement for the lot: only the holders of live leases complete, and each row
        // changes as `Job.completed` says (the whole-row contract case checks it); the ids that
        // come back are the ones done.
        let done = try await statement { connection in
            var done: Set<String> = []
            for try await id in try await connection.query("""
                UPDATE \(unescaped: self.table) AS job SET status = 'completed',
                    result = CASE WHEN done.present THEN done.result END,
                    lease_token = NULL, lease_expires_at = NULL, assigned_to = NULL, assigned_gpu = NULL,
                    updated_at = \(now)
                FROM unnest(\(ids)::TEXT[], \(tokens)::TEXT[], \(results)::BYTEA[], \(present)::BOOL[])
                    AS done(id, token, result, present)
                WHERE job.id = done.id AND job.status = 'running' AND job.lease_token = done.token
                    AND job.lease_expires_at > \(now)
                RETURNING job.id
                """, logger: self.logger).decode(String.self) { done.insert(id) }
            return done
        }
        return ids.filter { !done.contains($0) }
    }

    public func fail(_ lease: JobLease, error: String, permanent: Bool) async throws(JobQueueError) -> Job {
        let now = clock.now()
        let random = random()
        let backoff = backoff
        return try await update(lease) { $0.failed(error, permanent: permanent, now: now, backoff: backoff, random: random) }
    }

    public func release(_ lease: JobLease) async throws(JobQueueError) -> Job {
        let now = clock.now()
        defer { signal.notify() }
        return try await update(lease) { $0.handedBack(now: now) }
    }

    public func waitForJobs(timeout: Duration) async {
        await signal.wait(timeout: timeout)
    }

    /// Listens for the trigger's notifications on a connection of its own and wakes this
    /// process's waiting workers, until cancelled. When the connection drops it reconnects
    /// after a second; meanwhile workers fall back to polling.
    public func listen() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: self.table) { notifications in
                        for try await _ in notifications { self.signal.notify() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN failed; polling until it reconnects", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    public func purge(finishedBefore cutoff: Date, limit: Int) async throws(JobQueueError) -> Int {
        try await statement { connection in
            var deleted = 0
            for try await count in try await connection.query("""
                WITH gone AS (DELETE FROM \(unescaped: self.table) WHERE id IN (
                    SELECT id FROM \(unescaped: self.table) WHERE status IN ('completed', 'cancelled') AND updated_at < \(cutoff)
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED) RETURNING 1)
                SELECT COUNT(*)::INT FROM gone
                """, logger: self.logger).decode(Int.self) { deleted = count }
            return deleted
        }
    }

    public func cancel(jobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await transaction { connection in
            guard let job = try await self.locked(jobID, connection) else { throw JobQueueError.notFound(jobID: jobID) }
            let cancelled = job.cancelled(now: now)
            try await self.save(cancelled, on: connection)
            return cancelled
        }
    }

    public func job(id: String) async throws(JobQueueError) -> Job? {
        try await transaction { connection in
            try await self.jobs(connection, "SELECT * FROM \(unescaped: self.table) WHERE id = \(id)").first
        }
    }

    public func list(queue: String, status: JobStatus?, limit: Int) async throws(JobQueueError) -> [Job] {
        try await transaction { connection in
            try await self.jobs(connection, """
                SELECT * FROM \(unescaped: self.table) WHERE queue = \(queue)
                    AND (\(status?.rawValue)::TEXT IS NULL OR status = \(status?.rawValue))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """)
        }
    }

    public func batch(id: String) async throws(JobQueueError) -> BatchProgress {
        try await transaction { connection in
            var counts: [JobStatus: Int] = [:]
            for try await (status, count) in try await connection.query(
                "SELECT status, COUNT(*)::INT FROM \(unescaped: self.table) WHERE batch_id = \(id) GROUP BY status",
                logger: self.logger
            ).decode((String, Int).self) {
                if let status = JobStatus(rawValue: status) { counts[status] = count }
            }
            var progress = BatchProgress(counts: counts)
            for try await (started, finished) in try await connection.query("""
                SELECT MIN(created_at), MAX(updated_at) FILTER (WHERE status IN ('completed', 'dead', 'cancelled'))
                FROM \(unescaped: self.table) WHERE batch_id = \(id)
                """, logger: self.logger).decode((Date?, Date?).self) {
                progress.startedAt = started
                progress.lastFinishedAt = finished
            }
            return progress
        }
    }

    public func stats(queue: String) async throws(JobQueueError) -> QueueStats {
        let now = clock.now()
        return try await transaction { connection in
            var stats = QueueStats(depth: 0, inFlight: 0, dead: 0, oldestAge: 0)
            for try await (depth, inFlight, dead, oldest) in try await connection.query("""
                SELECT COUNT(*) FILTER (WHERE status = 'queued')::INT, COUNT(*) FILTER (WHERE status = 'running')::INT,
                       COUNT(*) FILTER (WHERE status = 'dead')::INT,
                       MIN(run_at) FILTER (WHERE status = 'queued' AND run_at <= \(now))
                FROM \(unescaped: self.table) WHERE queue = \(queue)
                """, logger: self.logger).decode((Int, Int, Int, Date?).self) {
                stats = QueueStats(depth: depth, inFlight: inFlight, dead: dead, oldestAge: oldest.map { now.timeIntervalSince($0) } ?? 0)
            }
            return stats
        }
    }

    public func deadLetters(queue: String, limit: Int) async throws(JobQueueError) -> [Job] {
        try await transaction { connection in
            try await self.jobs(connection, """
                SELECT * FROM \(unescaped: self.table) WHERE queue = \(queue) AND status = 'dead' ORDER BY updated_at LIMIT \(limit)
                """)
        }
    }

    public func retry(deadJobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        defer { signal.notify() }
        return try await transaction { connection in
            guard let job = try await self.locked(deadJobID, connection), job.status == .dead else {
                throw JobQueueError.notFound(jobID: deadJobID)
            }
            let revived = job.revived(now: now)
            try await self.save(revived, on: connection)
            return revived
        }
    }

    // MARK: Rows

    /// Applies `change` to the job `lease` still holds, in one transaction.
    private func update(_ lease: JobLease, _ change: @escaping @Sendable (Job) -> Job) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await transaction { connection in
            guard let job = try await self.locked(lease.job.id, connection), job.isHeld(by: lease, now: now) else {
                throw JobQueueError.leaseLost(jobID: lease.job.id)
            }
            let changed = change(job)
            try await self.save(changed, on: connection)
            return changed
        }
    }

    private func locked(_ id: String, _ connection: PostgresConnection) async throws -> Job? {
        try await jobs(connection, "SELECT * FROM \(unescaped: table) WHERE id = \(id) FOR UPDATE").first
    }

    private func save(_ job: Job, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE \(unescaped: table) SET status = \(job.status.rawValue), attempts = \(job.attempts), run_at = \(job.runAt),
                lease_token = \(job.leaseToken), lease_expires_at = \(job.leaseExpiresAt), result = \(job.result),
                last_error = \(job.lastError), updated_at = \(job.updatedAt), assigned_to = \(job.assignedTo),
                assigned_gpu = \(job.assignedGPU)
            WHERE id = \(job.id)
            """, logger: logger)
    }

    private func jobs(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [Job] {
        var jobs: [Job] = []
        for try await row in try await connection.query(query, logger: logger) {
            let columns = row.makeRandomAccess()
            var job = Job(id: try columns["id"].decode(String.self), queue: try columns["queue"].decode(String.self),
                          payload: try columns["payload"].decode(Data.self), priority: try columns["priority"].decode(Int.self),
                          runAt: try columns["run_at"].decode(Date.self), maxAttempts: try columns["max_attempts"].decode(Int.self),
                          idempotencyKey: try columns["idempotency_key"].decode(String?.self),
                          batchID: try columns["batch_id"].decode(String?.self), now: try columns["created_at"].decode(Date.self))
            job.status = JobStatus(rawValue: try columns["status"].decode(String.self)) ?? .queued
            job.attempts = try columns["attempts"].decode(Int.self)
            job.leaseToken = try columns["lease_token"].decode(String?.self)
            job.leaseExpiresAt = try columns["lease_expires_at"].decode(Date?.self)
            job.claimedBy = try columns["claimed_by"].decode(String?.self)
            job.result = try columns["result"].decode(Data?.self)
            job.lastError = try columns["last_error"].decode(String?.self)
            job.updatedAt = try columns["updated_at"].decode(Date.self)
            job.resources = ResourceRequest(storedJSON: try columns["resources"].decode(String.self))
            job.cost = try columns["cost"].decode(Double.self)
            job.kind = try columns["kind"].decode(String?.self)
            job.affinityKey = try columns["affinity_key"].decode(String?.self)
            job.assignedTo = try columns["assigned_to"].decode(String?.self)
            job.assignedGPU = try columns["assigned_gpu"].decode(Int?.self)
            jobs.append(job)
        }
        return jobs
    }

    /// One statement on a pooled connection (atomic by itself).
    private func statement<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(JobQueueError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as JobQueueError {
            throw error
        } catch {
            throw .storage(String(reflecting: error))
        }
    }

    private func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(JobQueueError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as JobQueueError {
            throw error
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? JobQueueError { throw inner }
            throw .storage(String(reflecting: error))
        } catch {
            throw .storage(String(reflecting: error))
        }
    }
}

extension PostgresJobQueue: WorkerRegistry {
    public func register(_ worker: WorkerRecord) async throws(JobQueueError) {
        let now = clock.now()
        let record = try worker.stored()
        try await statement { connection in
            try await connection.query("""
                INSERT INTO \(unescaped: self.table)_worker (id, record, last_seen, alive) VALUES (\(worker.id), \(record), \(now), TRUE)
                ON CONFLICT (id) DO UPDATE SET record = excluded.record, last_seen = excluded.last_seen, alive = TRUE
                """, logger: self.logger)
        }
    }

    public func heartbeat(workerID: String, load: WorkerRecord.Load) async throws(JobQueueError) -> Bool {
        let now = clock.now()
        return try await transaction { connection in
            var found: WorkerRecord?
            for try await data in try await connection.query(
                "SELECT record FROM \(unescaped: self.table)_worker WHERE id = \(workerID) AND alive FOR UPDATE", logger: self.logger
            ).decode(Data.self) { found = WorkerRecord.stored(data) }
            guard var record = found else { return false }
            record.load = load
            let encoded = try record.stored()
            try await connection.query(
                "UPDATE \(unescaped: self.table)_worker SET record = \(encoded), last_seen = \(now) WHERE id = \(workerID)",
                logger: self.logger)
            return true
        }
    }

    public func deregister(workerID: String) async throws(JobQueueError) {
        try await transaction { connection in
            try await connection.query("DELETE FROM \(unescaped: self.table)_worker WHERE id = \(workerID)", logger: self.logger)
            _ = try await self.unassign([workerID], on: connection)
        }
    }

    public func workers() async throws(JobQueueError) -> [WorkerRecord] {
        try await statement { connection in
            var workers: [WorkerRecord] = []
            for try await (data, lastSeen, alive) in try await connection.query(
                "SELECT record, last_seen, alive FROM \(unescaped: self.table)_worker", logger: self.logger
            ).decode((Data, Date, Bool).self) {
                if let record = WorkerRecord.stored(data, lastSeen: lastSeen, alive: alive) { workers.append(record) }
            }
            return workers.sorted(by: WorkerRecord.listOrder)
        }
    }

    public func sweepDeadWorkers(missing beats: Int) async throws(JobQueueError) -> [String] {
        let now = clock.now()
        return try await transaction { connection in
            var dead: [String] = []
            for try await (data, lastSeen) in try await connection.query(
                "SELECT record, last_seen FROM \(unescaped: self.table)_worker WHERE alive FOR UPDATE", logger: self.logger
            ).decode((Data, Date).self) {
                if let record = WorkerRecord.stored(data, lastSeen: lastSeen), record.isSilent(missing: beats, now: now) {
                    dead.append(record.id)
                }
            }
            if !dead.isEmpty {
                try await connection.query("""
                    UPDATE \(unescaped: self.table)_worker SET alive = FALSE WHERE id = ANY(\(dead)::TEXT[])
                    """, logger: self.logger)
                // Their running jobs: the lease ends now, so the next reaping returns them to the queue.
                try await connection.query("""
                    UPDATE \(unescaped: self.table) SET lease_expires_at = \(now)
                    WHERE status = 'running' AND claimed_by = ANY(\(dead)::TEXT[])
                    """, logger: self.logger)
                _ = try await self.unassign(dead, on: connection)
                self.lastReap.withLock { $0 = .distantPast }
            }
            return dead.sorted()
        }
    }

}

extension PostgresJobQueue: JobScheduling {
    public func lead(as holder: String, _ body: @Sendable (SchedulerTerm) async throws -> Void) async throws(JobQueueError) -> Bool {
        let (table, logger, clock) = (table, logger, clock)
        // The advisory lock lives as long as this connection: if the leader's process dies, the
        // server drops the lock with the connection and another process takes over.
        return try await statement { connection in
            var locked = false
            for try await value in try await connection.query(
                "SELECT pg_try_advisory_lock(hashtext(\(table + "_scheduler")))", logger: logger
            ).decode(Bool.self) { locked = value }
            guard locked else { return false }
            let term = SchedulerTerm { () throws(JobQueueError) -> Bool in
                do {
                    // On the lock's own connection: if that connection is gone, so is leadership.
                    try await self.renewTerm(of: holder, at: clock.now(), on: connection)
                    return true
                } catch {
                    throw .storage("cannot renew the scheduler's term: \(String(reflecting: error))")
                }
            }
            func stepDown() async throws {
                try await connection.query("DELETE FROM \(unescaped: table)_scheduler WHERE holder = \(holder)", logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(table + "_scheduler")))", logger: logger)
            }
            do {
                _ = try await term.renew()
                try await body(term)
            } catch {
                try? await stepDown()
                throw error
            }
            try await stepDown()
            return true
        }
    }

    public func leader() async throws(JobQueueError) -> SchedulerLeader? {
        let cutoff = clock.now().addingTimeInterval(-SchedulerLease.ttl)
        return try await statement { connection in
            var leader: SchedulerLeader?
            for try await (holder, renewed) in try await connection.query(
                "SELECT holder, renewed_at FROM \(unescaped: self.table)_scheduler WHERE renewed_at > \(cutoff)", logger: self.logger
            ).decode((String, Date).self) { leader = SchedulerLeader(holder: holder, renewedAt: renewed) }
            return leader
        }
    }

    public func pendingJobs(queues: [String], limit: Int, within capacity: ResourceRequest?) async throws(JobQueueError)
        -> [String: [Job]] {
        let now = clock.now()
        let limits = capacity ?? .unbounded
        return try await transaction { connection in
            var pending: [String: [Job]] = [:]
            for queue in queues {
                // CPU jobs and GPU jobs, each up to the limit, merged back into claim order.
                pending[queue] = try await self.jobs(connection, """
                    SELECT job.* FROM (VALUES (FALSE), (TRUE)) AS class(gpu), LATERAL (
                        SELECT * FROM \(unescaped: self.table) WHERE queue = \(queue) AND status = 'queued' AND run_at <= \(now)
                            AND assigned_to IS NULL AND ((resources::jsonb->>'gpu')::float8 > 0) = class.gpu
                            AND \(unescaped: self.table)_fits(resources, \(limits.cpu), \(limits.memoryMB), \(limits.gpu), \(limits.gpuMemoryMB))
                        ORDER BY priority DESC, run_at, created_at, seq LIMIT \(limit)) AS job
                    ORDER BY job.priority DESC, job.run_at, job.created_at, job.seq
                    """)
            }
            return pending
        }
    }

    public func outstandingJobs() async throws(JobQueueError) -> [OutstandingJob] {
        try await statement { connection in
            var outstanding: [OutstandingJob] = []
            for try await (id, worker, gpu, resources, cost, queued) in try await connection.query("""
                SELECT id, assigned_to, assigned_gpu, resources, cost, TRUE FROM \(unescaped: self.table)
                    WHERE status = 'queued' AND assigned_to IS NOT NULL
                UNION ALL
                SELECT id, claimed_by, assigned_gpu, resources, cost, FALSE FROM \(unescaped: self.table)
                    WHERE status = 'running' AND claimed_by IS NOT NULL
                """, logger: self.logger).decode((String, String, Int?, String, Double, Bool).self) {
                outstanding.append(OutstandingJob(jobID: id, worker: worker, gpu: gpu, resources: ResourceRequest(storedJSON: resources),
                                                  cost: cost, queued: queued))
            }
            return outstanding
        }
    }

    public func assign(_ assignments: [JobAssignment]) async throws(JobQueueError) {
        guard !assignments.isEmpty else { return }
        let ids = assignments.map(\.jobID)
        let workers = assignments.map(\.worker)
        let gpus = assignments.map { $0.gpu ?? -1 }
        try await statement { connection in
            try await connection.query("""
                UPDATE \(unescaped: self.table) AS job SET assigned_to = given.worker, assigned_gpu = NULLIF(given.gpu, -1)
                FROM unnest(\(ids)::TEXT[], \(workers)::TEXT[], \(gpus)::INT[]) AS given(id, worker, gpu)
                WHERE job.id = given.id AND job.status = 'queued' AND job.assigned_to IS NULL
                """, logger: self.logger)
            // Wake the workers in every process: an assignment changes no status, so the trigger is silent.
            try await connection.query("SELECT pg_notify(\(self.table), 'assigned')", logger: self.logger)
        }
        signal.notify()
    }

    public func unassign(workers: [String]) async throws(JobQueueError) -> Int {
        let count = try await statement { connection in try await self.unassign(workers, on: connection) }
        if count > 0 { signal.notify() }
        return count
    }

    public func queuedDemands(queue: String) async throws(JobQueueError) -> [ResourceRequest: Int] {
        try await statement { connection in
            var demands: [ResourceRequest: Int] = [:]
            for try await (resources, count) in try await connection.query("""
                SELECT resources, COUNT(*)::INT FROM \(unescaped: self.table) WHERE queue = \(queue) AND status = 'queued'
                    AND resources <> '\(unescaped: ResourceRequest.defaultStoredJSON)'
                GROUP BY resources
                """, logger: self.logger).decode((String, Int).self) {
                demands[ResourceRequest(storedJSON: resources), default: 0] += count
            }
            return demands
        }
    }

    private func renewTerm(of holder: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: table)_scheduler (id, holder, renewed_at) VALUES (1, \(holder), \(now))
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, renewed_at = excluded.renewed_at
            """, logger: logger)
    }

    private func unassign(_ workers: [String], on connection: PostgresConnection) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        var count = 0
        for try await id in try await connection.query("""
            UPDATE \(unescaped: table) SET assigned_to = NULL, assigned_gpu = NULL
            WHERE status = 'queued' AND assigned_to = ANY(\(workers)::TEXT[]) RETURNING id
            """, logger: logger).decode(String.self) {
            _ = id
            count += 1
        }
        return count
    }
}
