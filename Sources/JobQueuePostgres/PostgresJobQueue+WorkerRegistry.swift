public import Foundation
public import JobQueue
import Logging
import PostgresNIO
import PostgresQuerying

extension PostgresJobQueue: LiveWorkerRecords {
    public func register(_ worker: WorkerRecord) async throws(JobQueueError) {
        let now = clock.now()
        let record = try worker.stored()
        try await statement { connection in
            try await connection.liveQuery("""
                INSERT INTO \(unescaped: self.table)_worker (id, record, last_seen, alive) VALUES (\(worker.id), \(record), \(now), TRUE)
                ON CONFLICT (id) DO UPDATE SET record = excluded.record, last_seen = excluded.last_seen, alive = TRUE
                """, logger: self.logger)
        }
    }

    /// Changes a live worker's record in one transaction, the row locked (and its last-seen
    /// time, for a heartbeat); false when no live worker has the id.
    public func changeLiveWorker(_ id: String, seenAt: Date?,
                                  _ change: @escaping @Sendable (inout WorkerRecord) -> Void) async throws(JobQueueError) -> Bool {
        try await transaction { connection in
            var found: WorkerRecord?
            for try await data in try await connection.liveQuery(
                "SELECT record FROM \(unescaped: self.table)_worker WHERE id = \(id) AND alive FOR UPDATE", logger: self.logger
            ).decode(Data.self) { found = WorkerRecord.stored(data) }
            guard var record = found else { return false }
            change(&record)
            let encoded = try record.stored()
            try await connection.liveQuery("""
                UPDATE \(unescaped: self.table)_worker SET record = \(encoded), last_seen = COALESCE(\(seenAt), last_seen)
                WHERE id = \(id)
                """, logger: self.logger)
            return true
        }
    }

    public func deregister(workerID: String) async throws(JobQueueError) {
        try await transaction { connection in
            try await connection.liveQuery("DELETE FROM \(unescaped: self.table)_worker WHERE id = \(workerID)", logger: self.logger)
            _ = try await self.unassign([workerID], on: connection)
        }
    }

    public func workers() async throws(JobQueueError) -> [WorkerRecord] {
        try await statement { connection in
            var workers: [WorkerRecord] = []
            for try await (data, lastSeen, alive) in try await connection.liveQuery(
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
            for try await (data, lastSeen) in try await connection.liveQuery(
                "SELECT record, last_seen FROM \(unescaped: self.table)_worker WHERE alive FOR UPDATE", logger: self.logger
            ).decode((Data, Date).self) {
                if let record = WorkerRecord.stored(data, lastSeen: lastSeen), record.isSilent(missing: beats, now: now) {
                    dead.append(record.id)
                }
            }
            if !dead.isEmpty {
                try await connection.liveQuery("""
                    UPDATE \(unescaped: self.table)_worker SET alive = FALSE WHERE id = ANY(\(dead)::TEXT[])
                    """, logger: self.logger)
                // Their running jobs: the lease ends now, so the next reaping returns them to the queue.
                try await connection.liveQuery("""
                    UPDATE \(unescaped: self.table) SET lease_expires_at = \(now)
                    WHERE status = 'running' AND claimed_by = ANY(\(dead)::TEXT[])
                    """, logger: self.logger)
                _ = try await self.unassign(dead, on: connection)
                self.rules.reapAtNextClaim()
            }
            return dead.sorted()
        }
    }

}
