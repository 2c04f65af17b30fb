public import Foundation
public import JobQueue
import Logging
import PostgresNIO
import PostgresQuerying
public import Scheduling

extension PostgresJobQueue: JobScheduling {
    public func lead(as holder: String, _ body: @Sendable (SchedulerTerm) async throws -> Void) async throws(JobQueueError) -> Bool {
        let (table, logger, clock) = (table, logger, clock)
        // The advisory lock lives as long as this connection: if the leader's process dies, the
        // server drops the lock with the connection and another process takes over.
        return try await statement { connection in
            var locked = false
            for try await value in try await connection.liveQuery(
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
                try await connection.liveQuery("DELETE FROM \(unescaped: table)_scheduler WHERE holder = \(holder)", logger: logger)
                try await connection.liveQuery("SELECT pg_advisory_unlock(hashtext(\(table + "_scheduler")))", logger: logger)
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
            for try await (holder, renewed) in try await connection.liveQuery(
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
            for try await (id, worker, gpu, resources, cost, queued) in try await connection.liveQuery("""
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
            try await connection.liveQuery("""
                UPDATE \(unescaped: self.table) AS job SET assigned_to = given.worker, assigned_gpu = NULLIF(given.gpu, -1)
                FROM unnest(\(ids)::TEXT[], \(workers)::TEXT[], \(gpus)::INT[]) AS given(id, worker, gpu)
                WHERE job.id = given.id AND job.status = 'queued' AND job.assigned_to IS NULL
                """, logger: self.logger)
            // Wake the workers in every process: an assignment changes no status, so the trigger is silent.
            try await connection.liveQuery("SELECT pg_notify(\(self.table), 'assigned')", logger: self.logger)
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
            for try await (resources, count) in try await connection.liveQuery("""
                SELECT resources, COUNT(*)::INT FROM \(unescaped: self.table) WHERE queue = \(queue) AND status = 'queued'
                    AND resources <> '\(unescaped: ResourceRequest.defaultStoredJSON)'
                GROUP BY resources
                """, logger: self.logger).decode((String, Int).self) {
                demands[ResourceRequest(storedJSON: resources), default: 0] += count
            }
            return demands
        }
    }

    func renewTerm(of holder: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.liveQuery("""
            INSERT INTO \(unescaped: table)_scheduler (id, holder, renewed_at) VALUES (1, \(holder), \(now))
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, renewed_at = excluded.renewed_at
            """, logger: logger)
    }

    func unassign(_ workers: [String], on connection: PostgresConnection) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        var count = 0
        for try await id in try await connection.liveQuery("""
            UPDATE \(unescaped: table) SET assigned_to = NULL, assigned_gpu = NULL
            WHERE status = 'queued' AND assigned_to = ANY(\(workers)::TEXT[]) RETURNING id
            """, logger: logger).decode(String.self) {
            _ = id
            count += 1
        }
        return count
    }
}
