public import JobQueue
public import Foundation
import Logging
public import PostgresNIO
import PostgresQuerying
public import Scheduling
import Synchronization

/// Jobs in PostgreSQL, for a cluster of workers: claims lock the chosen row with
/// `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on, or take, each other's jobs.
///
/// The caller owns the `PostgresClient` and runs it (`client.run()`, a Service) for as long as
/// the queue is used. Every state change is one transaction and goes through the same
/// transitions as the other backends (`JobTransitions.swift`).
public final class PostgresJobQueue: JobRowStore {
    let client: PostgresClient
    let table: String
    public let rules: JobQueueRules
    let logger: Logger
    var clock: any JobClock { rules.clock }
    var signal: JobSignal { rules.signal }

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
        rules = JobQueueRules(clock: clock, backoff: backoff, random: random)
        self.logger = logger
    }

    /// The client settings for `postgres://user:password@host:port/database`.
    public static func configuration(url: String) throws(JobQueueError) -> PostgresClient.Configuration {
        let parsed = try PostgresURL(url)
        return PostgresClient.Configuration(host: parsed.host, port: parsed.port, username: parsed.user,
                                            password: parsed.password, database: parsed.database, tls: .disable)
    }

    // MARK: JobQueue

    public func enqueue(_ new: NewJob) async throws(JobQueueError) -> Job {
        try await JobTrace.enqueue(new) { new throws(JobQueueError) in
            let job = new.job(now: clock.now())
            // Workers in this process wake at once; others through the trigger's NOTIFY.
            defer { signal.notify() }
            // One statement in the common case; a second only when the key already existed.
            return try await statement { connection in
                let inserted = try await self.jobs(connection, """
                    INSERT INTO \(unescaped: self.table) (id, queue, payload, priority, run_at, status, attempts, max_attempts,
                        idempotency_key, batch_id, created_at, updated_at, resources, cost, kind, affinity_key, trace_parent)
                    VALUES (\(job.id), \(job.queue), \(job.payload), \(job.priority), \(job.runAt), \(job.status.rawValue),
                        \(job.attempts), \(job.maxAttempts), \(job.idempotencyKey), \(job.batchID), \(job.createdAt), \(job.updatedAt),
                        \(job.resources.storedJSON), \(job.cost), \(job.kind), \(job.affinityKey), \(job.traceParent))
                    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *
                    """)
                if let first = inserted.first { return first }
                let existing = try await self.jobs(connection, "SELECT * FROM \(unescaped: self.table) WHERE idempotency_key = \(job.idempotencyKey)")
                guard let first = existing.first else { throw JobQueueError.storage("the job with that idempotency key vanished") }
                return first
            }
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
        let change = JobChange.claim(token: token, until: expiry, now: now, by: worker)
        // One statement, one round trip: lock the most urgent due rows (skipping rows other
        // workers hold) and lease them, writing the change `JobChange.claim` defines.
        let claimed = try await statement { connection in
            try await self.jobs(connection, """
                UPDATE \(unescaped: self.table) SET \(set: change)
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

    /// Returns jobs whose lease ran out to the queue (or the dead letters), when
    /// ``JobQueueRules/isReapDue(now:)`` says so.
    private func reapExpiredLeases(now: Date) async throws(JobQueueError) {
        guard rules.isReapDue(now: now) else { return }
        try await transaction { connection in
            for job in try await self.jobs(connection, """
                SELECT * FROM \(unescaped: self.table) WHERE status = 'running' AND lease_expires_at <= \(now)
                FOR UPDATE SKIP LOCKED
                """) {
                try await self.apply(.leaseExpiry(of: job, now: now), to: job.id, on: connection)
            }
        }
    }

    public func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String] {
        guard !completions.isEmpty else { return [] }
        let now = clock.now()
        let ids = completions.map(\.lease.job.id)
        let tokens = completions.map(\.lease.token)
        let results = completions.map { ByteBuffer(bytes: $0.result ?? Data()) }
        let present = completions.map { $0.result != nil }
        // One statement for the lot: only the holders of live leases complete, and each row
        // changes as `JobChange.completion` says, with its own result; the ids that come back
        // are the ones done.
        let change = JobChange.completion(result: nil, now: now)
        let done = try await statement { connection in
            var done: Set<String> = []
            for try await id in try await connection.liveQuery("""
                UPDATE \(unescaped: self.table) AS job
                SET \(set: change, overriding: [.result: "CASE WHEN done.present THEN done.result END"])
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
            for try await count in try await connection.liveQuery("""
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
            let change = JobChange.cancellation(of: job, now: now)
            try await self.apply(change, to: jobID, on: connection)
            return change.applied(to: job)
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
            for try await (status, count) in try await connection.liveQuery(
                "SELECT status, COUNT(*)::INT FROM \(unescaped: self.table) WHERE batch_id = \(id) GROUP BY status",
                logger: self.logger
            ).decode((String, Int).self) {
                if let status = JobStatus(rawValue: status) { counts[status] = count }
            }
            var progress = BatchProgress(counts: counts)
            for try await (started, finished) in try await connection.liveQuery("""
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
            for try await (depth, inFlight, dead, oldest) in try await connection.liveQuery("""
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
            let change = JobChange.revival(now: now)
            try await self.apply(change, to: deadJobID, on: connection)
            return change.applied(to: job)
        }
    }

    // MARK: Rows

    public func update(_ lease: JobLease, _ transition: @escaping @Sendable (Job, Date) -> JobChange) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await transaction { connection in
            guard let job = try await self.locked(lease.job.id, connection), job.isHeld(by: lease, now: now) else {
                throw JobQueueError.leaseLost(jobID: lease.job.id)
            }
            let change = transition(job, now)
            try await self.apply(change, to: job.id, on: connection)
            return change.applied(to: job)
        }
    }

    private func locked(_ id: String, _ connection: PostgresConnection) async throws -> Job? {
        try await jobs(connection, "SELECT * FROM \(unescaped: table) WHERE id = \(id) FOR UPDATE").first
    }

    /// Writes `change` to the job `id`.
    private func apply(_ change: JobChange, to id: String, on connection: PostgresConnection) async throws {
        try await connection.liveQuery("UPDATE \(unescaped: table) SET \(set: change) WHERE id = \(id)", logger: logger)
    }

    func jobs(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [Job] {
        var jobs: [Job] = []
        for try await row in try await connection.liveQuery(query, logger: logger) {
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
            job.traceParent = try columns["trace_parent"].decode(String?.self)
            job.assignedTo = try columns["assigned_to"].decode(String?.self)
            job.assignedGPU = try columns["assigned_gpu"].decode(Int?.self)
            jobs.append(job)
        }
        return jobs
    }

    /// One statement on a pooled connection (atomic by itself).
    func statement<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(JobQueueError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as JobQueueError {
            throw error
        } catch {
            throw .storage(String(reflecting: error))
        }
    }

    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(JobQueueError) -> T {
        do {
            return try await client.withLiveTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as JobQueueError {
            throw error
        } catch {
            throw .storage(String(reflecting: error))
        }
    }
}
