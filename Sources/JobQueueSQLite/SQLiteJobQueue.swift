public import JobQueue
public import Foundation
public import GRDB
public import Scheduling

/// Jobs in one SQLite file (WAL mode, through GRDB): the single-machine default. They survive
/// restarts; every change is one transaction, so a crash never leaves a job half-claimed.
public final class SQLiteJobQueue: JobRowStore {
    let database: DatabasePool
    public let rules: JobQueueRules
    var clock: any JobClock { rules.clock }
    var signal: JobSignal { rules.signal }

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
        rules = JobQueueRules(clock: clock, backoff: backoff, random: random)
    }

    public func enqueue(_ new: NewJob) async throws(JobQueueError) -> Job {
        try await JobTrace.enqueue(new) { new throws(JobQueueError) in
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
    }

    public func claim(from queue: String, limit: Int, leaseFor duration: Duration,
                      by claimant: Claimant?) async throws(JobQueueError) -> [JobLease] {
        let now = clock.now()
        let token = UUID().uuidString
        let schedulerCutoff = now.addingTimeInterval(-SchedulerLease.ttl)
        let reaping = rules.isReapDue(now: now)
        return try await write { db in
            // Leases that ran out first: their attempt failed.
            if reaping {
                for job in try Job.fetchAll(db.cachedStatement(sql: "SELECT * FROM job WHERE status = 'running' AND leaseExpiresAt <= ?"),
                                            arguments: [now]) {
                    _ = try db.apply(.leaseExpiry(of: job, now: now), toJob: job.id)
                }
            }
            let expiry = now.addingTimeInterval(duration.seconds)
            // One statement leases the batch (one token for it: a lease is the job's id with it),
            // writing the change `JobChange.claim` defines.
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
            let set = JobChange.claim(token: token, until: expiry, now: now, by: claimant?.workerID).sqliteAssignments
            let arguments = set.arguments + ([queue, now] as StatementArguments) + filterArguments + [max(0, limit)]
            // Cached: a claim runs many times a second, and parsing it cost more than running it.
            let claimed = try Job.fetchAll(db.cachedStatement(sql: """
                UPDATE job SET \(set.sql)
                WHERE rowid IN (SELECT rowid FROM job WHERE queue = ? AND status = 'queued' AND runAt <= ? AND \(filter)
                                ORDER BY priority DESC, runAt, createdAt, rowid LIMIT ?)
                RETURNING *
                """), arguments: arguments)
            // RETURNING has no order; claim order is the promise.
            return claimed.sorted(by: Job.claimsBefore).map { JobLease(job: $0, token: token, expiresAt: expiry) }
        }
    }

    public func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String] {
        let now = clock.now()
        // One transaction (one WAL sync) for the lot; each row changes only while its lease
        // holds, and changes as `Job.completed` says (the whole-row contract case checks it).
        return try await write { db in
            try completions.compactMap { completion in
                let done = try db.apply(.completion(result: completion.result, now: now), toJob: completion.lease.job.id,
                                        where: "status = 'running' AND leaseToken = ? AND leaseExpiresAt > ?",
                                        [completion.lease.token, now])
                return done ? nil : completion.lease.job.id
            }
        }
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
            let change = JobChange.cancellation(of: job, now: now)
            _ = try db.apply(change, toJob: jobID)
            return change.applied(to: job)
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
            let change = JobChange.revival(now: now)
            _ = try db.apply(change, toJob: deadJobID)
            return change.applied(to: job)
        }
    }

    // MARK: Transactions

    public func update(_ lease: JobLease, _ transition: @escaping @Sendable (Job, Date) -> JobChange) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try await write { db in
            guard let job = try Job.fetchOne(db, key: lease.job.id), job.isHeld(by: lease, now: now) else {
                throw JobQueueError.leaseLost(jobID: lease.job.id)
            }
            let change = transition(job, now)
            _ = try db.apply(change, toJob: job.id)
            return change.applied(to: job)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(JobQueueError) -> T {
        try await mappingErrors { try await self.database.write(body) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(JobQueueError) -> T {
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
