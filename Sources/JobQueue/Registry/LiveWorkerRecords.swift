public import Foundation

/// A registry that keeps worker records in a database and changes a live worker's record in one
/// transaction. Heartbeats and drain requests are such changes; they are written here once for
/// every SQL backend, which supplies only the transaction.
public protocol LiveWorkerRecords: WorkerRegistry {
    /// The queue's rules: their clock times heartbeats.
    var rules: JobQueueRules { get }

    /// Changes a live worker's record (and its last-seen time, when `seenAt` is given) with its
    /// row locked; false when no live worker has the id.
    func changeLiveWorker(_ id: String, seenAt: Date?,
                          _ change: @escaping @Sendable (inout WorkerRecord) -> Void) async throws(JobQueueError) -> Bool
}

extension LiveWorkerRecords {
    public func heartbeat(workerID: String, load: WorkerRecord.Load) async throws(JobQueueError) -> Bool {
        try await changeLiveWorker(workerID, seenAt: rules.clock.now()) { $0.load = load }
    }

    public func requestDrain(workerID: String) async throws(JobQueueError) -> Bool {
        try await changeLiveWorker(workerID, seenAt: nil) { $0.drainRequested = true }
    }
}
