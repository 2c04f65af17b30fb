public import JobQueue
public import Foundation
public import GRDB
public import Scheduling

/// Jobs in one SQLite file (WAL mode, through GRDB): the single-machine default. They survive
/// restarts; every change is one transaction, so a crash never leaves a job half-claimed.
public final class SQLiteJobQueue: JobQueue {
    private let database: DatabasePool
    private let clock: any JobClock
    private let backoff: RetryBackoff
    private let random: @Sendable () -> Double
    private let signal = JobSignal()

    /// Opens (creating and migrating if needed) the queue in the file at `path`.
    public init(path: String, clock: any JobClock = SystemJobClock(), backoff: RetryBackoff = RetryBackoff(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws(JobQueueError) {
        let folder = (path as NSString).deletingLastPathComponent
        var configuration = Configuration()
        // Writers wait for each other instead of failing at once.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Checkpoint the WAL every ~40 MB instead of every 4 MB: the claim or complete that
            // triggers a checkpoint pays for it, so rarer ones keep the claim latency's tail low.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        var opened: DatabasePool?
        var attempt = 0
        while opened == nil {
            do {
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Self.migrator.migrate(pool)
                opened = pool
            } catch is DatabaseError where attempt < 50 {
                // Two processes creating the same new file at once (a worker and `submit`):
                // switching to WAL does not wait on the busy handler, and the loser of the race
                // to apply a migration finds its table already made. The next attempt sees the
                // file as the winner left it.
                attempt += 1
                usleep(100_000)
            } catch {
                throw .invalidConfiguration("cannot open the queue database \(path): \(error)")
            }
        }
        database = opened!
        self.clock = clock
        self.backoff = backoff
        self.random = random
    }

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
        return migrator
    }

    public func enqueue(_ new: NewJob) async throws(JobQueueError) -> Job {
        let now = clock.now()
        defer { signal.notify() }
        return try await write { db in
            if let key = new.idempotencyKey,
               let existing = try Job.fetchOne(db, sql: "SELECT * FROM job WHERE idempotencyKey = ?", arguments: [key]) {
                return existing
            }
            let job = new.job(now: now)
            try job.insert(db)
            return job
        }
    }

    public func claim(from queue: String, limit: Int, leaseFor duration: Duration,
                      by claimant: Claimant?) async throws(JobQueueError) -> [JobLease] {
        let now = clock.now()
        let token = UUID().uuidString
        let schedulerCutoff = now.addingTimeInterval(-SchedulerLease.ttl)
        return try await write { db in
            // Leases that ran out first: their attempt failed.
            for job in try Job.fetchAll(db.cachedStatement(sql: "SELECT * FROM job WHERE status = 'running' AND leaseExpiresAt <= ?"),
                                        arguments: [now]) {
                try job.leaseExpired(now: now).update(db)
            }
            let expiry = now.addingTimeInterval(duration.seconds)
            // One statement leases the batch (one token for it: a lease is the job's id with it);
            // the same change as `Job.claimed`, which the contract checks.
            // A claimant's own assignments, or unassigned jobs: for a claimant only while no
            // scheduler is live and only those its capacity covers (as `Claimant`, `fits(within:)`).
            // An anonymous claim takes unassigned jobs only, with the simplest filter.
            var filter = "assignedTo IS NULL"
            var filterArguments: StatementArguments = []
            if let claimant {
                filter = """
                    (assignedTo = ? OR (assignedTo IS NULL AND NOT EXISTS (SELECT 1 FROM scheduler WHERE renewedAt > ?)
                                        AND \(Self.fits)))
                    """
                filterArguments = [claimant.workerID, schedulerCutoff] + Self.fitsArguments(claimant.limits)
            }
            let arguments = ([token, expiry, now, claimant?.workerID, queue, now] as StatementArguments) + filterArguments
                + [max(0, limit)]
            // Cached: a claim runs many times a second, and parsing it cost more than running it.
            let claimed = try Job.fetchAll(db.cachedStatement(sql: """
                UPDATE job SET status = 'running', attempts = attempts + 1, leaseToken = ?, leaseExpiresAt = ?, updatedAt = ?,
                    claimedBy = ?
                WHERE rowid IN (SELECT rowid FROM job WHERE queue = ? AND status = 'queued' AND runAt <= ? AND \(filter)
                                ORDER BY priority DESC, runAt, createdAt, rowid LIMIT ?)
                RETURNING *
                """), arguments: arguments)
            // RETURNING has no order; claim order is the promise.
            return claimed.sorted(by: Job.claimsBefore).map { JobLease(job: $0, token: token, expiresAt: expiry) }
        }
    }

    public func heartbeat(_ lease: JobLease, extendBy duration: Duration) async throws(JobQueueError) -> JobLease {
        let now = clock.now()
        let job = try await update(lease) { $0.extended(by: duration, now: now) }
        return JobLease(job: job, token: lease.token, expiresAt: job.leaseExpiresAt!)
    }

    public func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String] {
        let now = clock.now()
        // One transaction (one WAL sync) for the lot; each row changes only while its lease
        // holds, and changes as `Job.completed` says (the whole-row contract case checks it).
        return try await write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE job SET status = 'completed', result = ?, leaseToken = NULL, leaseExpiresAt = NULL,
                    assignedTo = NULL, assignedGPU = NULL, updatedAt = ?
                WHERE id = ? AND status = 'running' AND leaseToken = ? AND leaseExpiresAt > ?
                """)
            return try completions.compactMap { completion in
                try statement.execute(arguments: [completion.result, now, completion.lease.job.id, completion.lease.token, now])
                return db.changesCount == 1 ? nil : completion.lease.job.id
            }
        }
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

    public func purge(finishedBefore cutoff: Date, limit: Int) async throws(JobQueueError) -> Int {
        try await write { db in
            try db.execute(sql: """
                DELETE FROM job WHERE rowid IN (SELECT rowid FROM job
                    WHERE status IN ('completed', 'cancelled') AND updatedAt < ? LIMIT ?)
                """, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    public func cancel(jobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await write { db in
            guard let job = try Job.fetchOne(db, key: jobID) else { throw JobQueueError.notFound(jobID: jobID) }
            let cancelled = job.cancelled(now: now)
            try cancelled.update(db)
            return cancelled
        }
    }

    public func job(id: String) async throws(JobQueueError) -> Job? {
        try await read { db in try Job.fetchOne(db, key: id) }
    }

    public func list(queue: String, status: JobStatus?, limit: Int) async throws(JobQueueError) -> [Job] {
        try await read { db in
            try Job.fetchAll(db, sql: """
                SELECT * FROM job WHERE queue = ? AND (? IS NULL OR status = ?) ORDER BY createdAt DESC, rowid DESC LIMIT ?
                """, arguments: [queue, status?.rawValue, status?.rawValue, limit])
        }
    }

    public func batch(id: String) async throws(JobQueueError) -> BatchProgress {
        try await read { db in
            var counts: [JobStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM job WHERE batchID = ? GROUP BY status",
                                        arguments: [id]) {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            let times = try Row.fetchOne(db, sql: """
                SELECT MIN(createdAt) AS started,
                       MAX(CASE WHEN status IN ('completed', 'dead', 'cancelled') THEN updatedAt END) AS finished
                FROM job WHERE batchID = ?
                """, arguments: [id])
            return BatchProgress(counts: counts, startedAt: times?["started"], lastFinishedAt: times?["finished"])
        }
    }

    public func stats(queue: String) async throws(JobQueueError) -> QueueStats {
        let now = clock.now()
        return try await read { db in
            func count(_ status: JobStatus) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE queue = ? AND status = ?",
                                 arguments: [queue, status.rawValue]) ?? 0
            }
            let oldest = try Date.fetchOne(db, sql: "SELECT MIN(runAt) FROM job WHERE queue = ? AND status = 'queued' AND runAt <= ?",
                                           arguments: [queue, now])
            return QueueStats(depth: try count(.queued), inFlight: try count(.running), dead: try count(.dead),
                              oldestAge: oldest.map { now.timeIntervalSince($0) } ?? 0)
        }
    }

    public func deadLetters(queue: String, limit: Int) async throws(JobQueueError) -> [Job] {
        try await read { db in
            try Job.fetchAll(db, sql: "SELECT * FROM job WHERE queue = ? AND status = 'dead' ORDER BY updatedAt LIMIT ?",
                             arguments: [queue, limit])
        }
    }

    public func retry(deadJobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        defer { signal.notify() }
        return try await write { db in
            guard let job = try Job.fetchOne(db, key: deadJobID), job.status == .dead else {
                throw JobQueueError.notFound(jobID: deadJobID)
            }
            let revived = job.revived(now: now)
            try revived.update(db)
            return revived
        }
    }

    // MARK: Transactions

    /// Applies `change` to the job `lease` still holds, in one transaction.
    private func update(_ lease: JobLease, _ change: @escaping @Sendable (Job) -> Job) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await write { db in
            guard let job = try Job.fetchOne(db, key: lease.job.id), job.isHeld(by: lease, now: now) else {
                throw JobQueueError.leaseLost(jobID: lease.job.id)
            }
            let changed = change(job)
            try changed.update(db)
            return changed
        }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(JobQueueError) -> T {
        try await mappingErrors { try await self.database.write(body) }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(JobQueueError) -> T {
        try await mappingErrors { try await self.database.read(body) }
    }

    /// Our own errors pass through; the database's become ``JobQueueError/storage(_:)``.
    private func mappingErrors<T>(_ body: () async throws -> T) async throws(JobQueueError) -> T {
        do {
            return try await body()
        } catch let error as JobQueueError {
            throw error
        } catch {
            throw .storage(String(describing: error))
        }
    }
}

extension Job: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"
}

extension SQLiteJobQueue: WorkerRegistry {
    public func register(_ worker: WorkerRecord) async throws(JobQueueError) {
        let now = clock.now()
        let record = try worker.stored()
        try await write { db in
            try db.execute(sql: """
                INSERT INTO worker (id, record, lastSeen, alive) VALUES (?, ?, ?, 1)
                ON CONFLICT (id) DO UPDATE SET record = excluded.record, lastSeen = excluded.lastSeen, alive = 1
                """, arguments: [worker.id, record, now])
        }
    }

    public func heartbeat(workerID: String, load: WorkerRecord.Load) async throws(JobQueueError) -> Bool {
        let now = clock.now()
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT record FROM worker WHERE id = ? AND alive", arguments: [workerID]),
                  var record = WorkerRecord.stored(row["record"]) else { return false }
            record.load = load
            try db.execute(sql: "UPDATE worker SET record = ?, lastSeen = ? WHERE id = ?",
                           arguments: [try record.stored(), now, workerID])
            return true
        }
    }

    public func deregister(workerID: String) async throws(JobQueueError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM worker WHERE id = ?", arguments: [workerID])
            try Self.unassign([workerID], db)
        }
    }

    public func workers() async throws(JobQueueError) -> [WorkerRecord] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT record, lastSeen, alive FROM worker")).compactMap { row in
                WorkerRecord.stored(row["record"], lastSeen: row["lastSeen"], alive: row["alive"])
            }.sorted(by: WorkerRecord.listOrder)
        }
    }

    public func sweepDeadWorkers(missing beats: Int) async throws(JobQueueError) -> [String] {
        let now = clock.now()
        return try await write { db in
            let dead = try Row.fetchAll(db, sql: "SELECT record, lastSeen FROM worker WHERE alive").compactMap { row in
                WorkerRecord.stored(row["record"], lastSeen: row["lastSeen"])
            }.filter { $0.isSilent(missing: beats, now: now) }.map(\.id).sorted()
            for id in dead {
                try db.execute(sql: "UPDATE worker SET alive = 0 WHERE id = ?", arguments: [id])
                // Their running jobs: the lease ends now, so the next claim returns them to the queue.
                try db.execute(sql: "UPDATE job SET leaseExpiresAt = ? WHERE status = 'running' AND claimedBy = ?",
                               arguments: [now, id])
            }
            try Self.unassign(dead, db)
            return dead
        }
    }

}

extension SQLiteJobQueue: JobScheduling {
    public func lead(as holder: String, _ body: @Sendable (SchedulerTerm) async throws -> Void) async throws(JobQueueError) -> Bool {
        let clock = clock
        // The term is a lease row: taken when free, stale or already ours.
        let taken = try await write { db in
            let now = clock.now()
            try db.execute(sql: """
                INSERT INTO scheduler (id, holder, renewedAt) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, renewedAt = excluded.renewedAt
                WHERE scheduler.holder = excluded.holder OR scheduler.renewedAt <= ?
                """, arguments: [holder, now, now.addingTimeInterval(-SchedulerLease.ttl)])
            return db.changesCount == 1
        }
        guard taken else { return false }
        let term = SchedulerTerm { () throws(JobQueueError) -> Bool in
            try await self.write { db in
                try db.execute(sql: "UPDATE scheduler SET renewedAt = ? WHERE id = 1 AND holder = ?", arguments: [clock.now(), holder])
                return db.changesCount == 1
            }
        }
        do {
            try await body(term)
        } catch {
            try? await write { db in try db.execute(sql: "DELETE FROM scheduler WHERE holder = ?", arguments: [holder]) }
            if let error = error as? JobQueueError { throw error }
            throw .storage("the scheduler stopped: \(error)")
        }
        // Stepping down frees the term at once: workers pull meanwhile, another may lead.
        try await write { db in try db.execute(sql: "DELETE FROM scheduler WHERE holder = ?", arguments: [holder]) }
        return true
    }

    public func leader() async throws(JobQueueError) -> SchedulerLeader? {
        let cutoff = clock.now().addingTimeInterval(-SchedulerLease.ttl)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT holder, renewedAt FROM scheduler WHERE renewedAt > ?", arguments: [cutoff])
                .map { SchedulerLeader(holder: $0["holder"], renewedAt: $0["renewedAt"]) }
        }
    }

    public func pendingJobs(queues: [String], limit: Int, within capacity: ResourceRequest?) async throws(JobQueueError)
        -> [String: [Job]] {
        let now = clock.now()
        let limits = capacity ?? .unbounded
        return try await read { db in
            var pending: [String: [Job]] = [:]
            for queue in queues {
                // CPU jobs and GPU jobs, each up to the limit, merged back into claim order.
                func part(gpu: String) -> String {
                    """
                    SELECT rowid AS claimOrder, * FROM job WHERE queue = ? AND status = 'queued' AND runAt <= ?
                        AND assignedTo IS NULL AND json_extract(resources, '$.gpu') \(gpu) AND \(Self.fits)
                    ORDER BY priority DESC, runAt, createdAt, rowid LIMIT ?
                    """
                }
                let each = ([queue, now] as StatementArguments) + Self.fitsArguments(limits) + [limit]
                pending[queue] = try Job.fetchAll(db.cachedStatement(sql: """
                    SELECT * FROM (\(part(gpu: "<= 0"))) UNION ALL SELECT * FROM (\(part(gpu: "> 0")))
                    ORDER BY priority DESC, runAt, createdAt, claimOrder
                    """), arguments: each + each)
            }
            return pending
        }
    }

    public func outstandingJobs() async throws(JobQueueError) -> [OutstandingJob] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, assignedTo AS worker, assignedGPU, resources, cost, 1 AS queued FROM job
                    WHERE assignedTo IS NOT NULL AND status = 'queued'
                UNION ALL
                SELECT id, claimedBy, assignedGPU, resources, cost, 0 FROM job WHERE status = 'running' AND claimedBy IS NOT NULL
                """)).map { row in
                OutstandingJob(jobID: row["id"], worker: row["worker"], gpu: row["assignedGPU"],
                               resources: ResourceRequest(storedJSON: row["resources"]), cost: row["cost"], queued: row["queued"])
            }
        }
    }

    public func assign(_ assignments: [JobAssignment]) async throws(JobQueueError) {
        guard !assignments.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE job SET assignedTo = ?, assignedGPU = ? WHERE id = ? AND status = 'queued' AND assignedTo IS NULL
                """)
            for assignment in assignments {
                try statement.execute(arguments: [assignment.worker, assignment.gpu, assignment.jobID])
            }
        }
        signal.notify()
    }

    public func unassign(workers: [String]) async throws(JobQueueError) -> Int {
        let count = try await write { db in try Self.unassign(workers, db) }
        if count > 0 { signal.notify() }
        return count
    }

    public func queuedDemands(queue: String) async throws(JobQueueError) -> [ResourceRequest: Int] {
        try await read { db in
            var demands: [ResourceRequest: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT resources, COUNT(*) AS n FROM job
                WHERE queue = ? AND status = 'queued' AND resources <> '\(ResourceRequest.defaultStoredJSON)'
                GROUP BY resources
                """, arguments: [queue]) {
                demands[ResourceRequest(storedJSON: row["resources"]), default: 0] += row["n"] as Int
            }
            return demands
        }
    }

    /// A job's `resources` fit within a capacity (as ``ResourceRequest/fits(within:)``); its
    /// arguments come from ``fitsArguments(_:)``.
    private static let fits = """
        json_extract(resources, '$.cpu') <= ? AND (? = 0 OR json_extract(resources, '$.memory_mb') <= ?)
        AND (json_extract(resources, '$.gpu') <= 0 OR (? > 0 AND json_extract(resources, '$.gpu_memory_mb') <= ?))
        """

    private static func fitsArguments(_ capacity: ResourceRequest) -> StatementArguments {
        [capacity.cpu, capacity.memoryMB, capacity.memoryMB, capacity.gpu, capacity.gpuMemoryMB]
    }

    @discardableResult
    private static func unassign(_ workers: [String], _ db: Database) throws -> Int {
        var count = 0
        for worker in workers {
            try db.execute(sql: "UPDATE job SET assignedTo = NULL, assignedGPU = NULL WHERE status = 'queued' AND assignedTo = ?",
                           arguments: [worker])
            count += db.changesCount
        }
        return count
    }
}
