public import Foundation

/// A queue backend that changes one leased job at a time by a ``JobChange``.
///
/// A backend supplies its rules and `update(_:_:)`, the one place it reads a held job and
/// writes a change in a transaction; heartbeat, fail, release and waitForJobs are written once,
/// here, for every backend.
public protocol JobRowStore: JobQueue {
    /// The clock, back-off and wake-up signal this backend decides with.
    var rules: JobQueueRules { get }

    /// Writes the change `transition` makes to the job `lease` still holds (given the job as it
    /// is stored and the time), in one transaction, and returns the job as it now is.
    /// - Throws: ``JobQueueError/leaseLost(jobID:)`` when the lease no longer holds.
    func update(_ lease: JobLease, _ transition: @escaping @Sendable (Job, Date) -> JobChange) async throws(JobQueueError) -> Job
}

extension JobRowStore {
    public func heartbeat(_ lease: JobLease, extendBy duration: Duration) async throws(JobQueueError) -> JobLease {
        let job = try await update(lease) { _, now in .heartbeat(by: duration, now: now) }
        return JobLease(job: job, token: lease.token, expiresAt: job.leaseExpiresAt!)
    }

    public func heartbeat(_ lease: JobLease, extendBy duration: Duration, progress: Data) async throws(JobQueueError) -> JobLease {
        let job = try await update(lease) { _, now in .heartbeat(by: duration, now: now, progress: progress) }
        return JobLease(job: job, token: lease.token, expiresAt: job.leaseExpiresAt!)
    }

    public func fail(_ lease: JobLease, error: String, permanent: Bool) async throws(JobQueueError) -> Job {
        let random = rules.random()
        let backoff = rules.backoff
        return try await update(lease) { job, now in
            .failure(of: job, error: error, permanent: permanent, now: now, backoff: backoff, random: random)
        }
    }

    public func release(_ lease: JobLease) async throws(JobQueueError) -> Job {
        defer { rules.signal.notify() }
        return try await update(lease) { job, now in .handBack(of: job, now: now) }
    }

    public func waitForJobs(timeout: Duration) async {
        await rules.signal.wait(timeout: timeout)
    }
}
