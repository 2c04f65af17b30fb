public import Foundation

/// A durable queue of jobs with leases: the spine of pipelines and batch work.
///
/// Delivery is at least once. A worker claims a job under a lease, extends it with heartbeats,
/// and completes or fails it with the lease's token. A lease that runs out (the worker died or
/// hung) returns the job to the queue and counts as an attempt, so a job that keeps killing
/// workers ends in the dead letters instead of being retried forever.
///
/// Backends: ``MemoryJobQueue`` (tests), `SQLiteJobQueue` (one machine, in `JobQueueSQLite`) and
/// `PostgresJobQueue` (a cluster, in `JobQueuePostgres`); every backend passes
/// the same contract suite.
public protocol JobQueue: Sendable {
    /// Adds a job; with an idempotency key already used, returns that job instead.
    func enqueue(_ job: NewJob) async throws(JobQueueError) -> Job

    /// Leases up to `limit` of the most urgent due jobs of `queue` (highest priority, then
    /// earliest due, then first in), in that order, all at once: one statement on PostgreSQL,
    /// one transaction on SQLite.
    ///
    /// A `claimant` (a registered worker) gets the jobs the scheduler assigned to it and, while
    /// no scheduler is live, unassigned jobs its capacity covers; its jobs return at once if it
    /// dies. Without a claimant, only unassigned jobs are taken.
    func claim(from queue: String, limit: Int, leaseFor duration: Duration, by claimant: Claimant?) async throws(JobQueueError) -> [JobLease]

    /// Extends a lease. - Throws: ``JobQueueError/leaseLost(jobID:)`` when it already expired and was reclaimed.
    func heartbeat(_ lease: JobLease, extendBy duration: Duration) async throws(JobQueueError) -> JobLease
    /// Extends a lease and stores `progress` as the running job's result: what a job that runs
    /// until it is cancelled (a stream) reports about itself. A completion replaces it.
    /// - Throws: ``JobQueueError/leaseLost(jobID:)`` as ``heartbeat(_:extendBy:)`` does.
    func heartbeat(_ lease: JobLease, extendBy duration: Duration, progress: Data) async throws(JobQueueError) -> JobLease

    /// Finishes jobs with their results, all at once. Returns the ids of those whose lease was
    /// lost (expired and perhaps taken over); those are left as they are.
    func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String]

    /// Reports a failure: the job is retried after a back-off, or moved to the dead letters
    /// when it has no attempts left or when `permanent` says another attempt cannot help
    /// (an undecodable image). Returns the job as it now is.
    func fail(_ lease: JobLease, error: String, permanent: Bool) async throws(JobQueueError) -> Job
    /// Hands a job back unfinished (a worker shutting down): queued again at once, and this
    /// attempt is not counted. Returns the job as it now is.
    func release(_ lease: JobLease) async throws(JobQueueError) -> Job

    /// Cancels a job that has not finished; returns it as it now is.
    func cancel(jobID: String) async throws(JobQueueError) -> Job

    /// The job, or nil.
    func job(id: String) async throws(JobQueueError) -> Job?

    /// Counts of a batch's jobs by status.
    func batch(id: String) async throws(JobQueueError) -> BatchProgress

    /// Depth, in-flight, dead letters and the oldest due job's age.
    func stats(queue: String) async throws(JobQueueError) -> QueueStats

    /// Jobs of `queue`, newest first, optionally only those with `status`.
    func list(queue: String, status: JobStatus?, limit: Int) async throws(JobQueueError) -> [Job]
    /// Dead letters of `queue`, oldest first.
    func deadLetters(queue: String, limit: Int) async throws(JobQueueError) -> [Job]

    /// Waits until jobs may be claimable (one was enqueued or handed back, here or, for
    /// PostgreSQL, in any process) or `timeout` passes: idle workers wait here instead of
    /// sleeping out a fixed poll, and the timeout is the polling fallback (delayed jobs and
    /// missed notifications are found by it).
    func waitForJobs(timeout: Duration) async
    /// Deletes completed and cancelled jobs last changed before `cutoff`, at most `limit` of them,
    /// so the table stays small; dead letters are kept. Returns how many were deleted.
    func purge(finishedBefore cutoff: Date, limit: Int) async throws(JobQueueError) -> Int
    /// Puts a dead job back in the queue with fresh attempts.
    func retry(deadJobID: String) async throws(JobQueueError) -> Job
}

extension JobQueue {
    /// Leases up to `limit` due jobs for an unregistered claimer.
    public func claim(from queue: String, limit: Int, leaseFor duration: Duration) async throws(JobQueueError) -> [JobLease] {
        try await claim(from: queue, limit: limit, leaseFor: duration, by: nil)
    }

    /// Leases the most urgent due job of `queue`, or nil.
    public func claim(from queue: String, leaseFor duration: Duration) async throws(JobQueueError) -> JobLease? {
        try await claim(from: queue, limit: 1, leaseFor: duration).first
    }

    /// Finishes a job with its result.
    /// - Throws: ``JobQueueError/leaseLost(jobID:)`` when the lease expired meanwhile.
    public func complete(_ lease: JobLease, result: Data?) async throws(JobQueueError) {
        let lost = try await complete([JobCompletion(lease: lease, result: result)])
        if !lost.isEmpty { throw .leaseLost(jobID: lease.job.id) }
    }

    /// Reports a failure that another attempt may cure: retried after a back-off, or dead when
    /// out of attempts.
    public func fail(_ lease: JobLease, error: String) async throws(JobQueueError) -> Job {
        try await fail(lease, error: error, permanent: false)
    }
}
