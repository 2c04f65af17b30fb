public import Foundation
import GRDB
public import JobQueue
public import Scheduling

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
    static let fits = """
        json_extract(resources, '$.cpu') <= ? AND (? = 0 OR json_extract(resources, '$.memory_mb') <= ?)
        AND (json_extract(resources, '$.gpu') <= 0 OR (? > 0 AND json_extract(resources, '$.gpu_memory_mb') <= ?))
        """

    static func fitsArguments(_ capacity: ResourceRequest) -> StatementArguments {
        [capacity.cpu, capacity.memoryMB, capacity.memoryMB, capacity.gpu, capacity.gpuMemoryMB]
    }

    @discardableResult
    static func unassign(_ workers: [String], _ db: Database) throws -> Int {
        var count = 0
        for worker in workers {
            try db.execute(sql: "UPDATE job SET assignedTo = NULL, assignedGPU = NULL WHERE status = 'queued' AND assignedTo = ?",
                           arguments: [worker])
            count += db.changesCount
        }
        return count
    }
}
