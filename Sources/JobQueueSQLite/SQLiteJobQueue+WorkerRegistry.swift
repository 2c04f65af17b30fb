public import Foundation
import GRDB
public import JobQueue

extension SQLiteJobQueue: LiveWorkerRecords {
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

    /// Changes a live worker's record in one transaction (and its last-seen time, for a
    /// heartbeat); false when no live worker has the id.
    public func changeLiveWorker(_ id: String, seenAt: Date?,
                                  _ change: @escaping @Sendable (inout WorkerRecord) -> Void) async throws(JobQueueError) -> Bool {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT record FROM worker WHERE id = ? AND alive", arguments: [id]),
                  var record = WorkerRecord.stored(row["record"]) else { return false }
            change(&record)
            try db.execute(sql: "UPDATE worker SET record = ?, lastSeen = COALESCE(?, lastSeen) WHERE id = ?",
                           arguments: [try record.stored(), seenAt, id])
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
            if !dead.isEmpty { self.rules.reapAtNextClaim() }
            return dead
        }
    }

}
