import Foundation

/// Where workers announce themselves, in the queue's own database, so that every process sees
/// the cluster: `GET /v1/workers`, `darkroom workers`, and the scheduler's placement.
///
/// A worker registers, sends heartbeats every few seconds, and deregisters when it stops.
/// One that misses its heartbeats is marked dead by whichever process sweeps first, and the
/// jobs it was running go back to the queue at once (as if their leases had run out) instead
/// of waiting out the lease.
public protocol WorkerRegistry: Sendable {
    /// Adds the worker, or replaces it when its id is known (a restart).
    func register(_ worker: WorkerRecord) async throws(JobQueueError)
    /// Records that the worker is alive and how busy it is. Returns false when it had been
    /// marked dead meanwhile (it should register again).
    func heartbeat(workerID: String, load: WorkerRecord.Load) async throws(JobQueueError) -> Bool
    /// Removes a worker that stops cleanly.
    func deregister(workerID: String) async throws(JobQueueError)
    /// Asks a live worker to stop claiming jobs (it notices at its next heartbeat); false when
    /// no live worker has that id.
    func requestDrain(workerID: String) async throws(JobQueueError) -> Bool
    /// Every known worker, live ones first, then by id.
    func workers() async throws(JobQueueError) -> [WorkerRecord]
    /// Marks dead the live workers that missed `beats` of their own heartbeats (each records
    /// its period, so workers with different periods judge each other fairly), returns their
    /// jobs to the queue, and returns their ids.
    func sweepDeadWorkers(missing beats: Int) async throws(JobQueueError) -> [String]
}
