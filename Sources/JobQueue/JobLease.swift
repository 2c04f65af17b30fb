public import Foundation

/// A worker's claim on a job until ``expiresAt``; heartbeats extend it. Finishing a job needs
/// the lease's token, so a worker whose lease expired (and whose job another worker took)
/// cannot complete it twice.
public struct JobLease: Sendable, Equatable {
    /// The job as claimed (status `running`, attempts counted).
    public var job: Job
    public var token: String
    public var expiresAt: Date

    /// A lease on `job`; backends make them when they claim.
    package init(job: Job, token: String, expiresAt: Date) {
        self.job = job
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// A finished job's lease and its result, for ``JobQueue/complete(_:)``.
public struct JobCompletion: Sendable {
    public var lease: JobLease
    public var result: Data?

    /// Pairs a lease with its result.
    public init(lease: JobLease, result: Data?) {
        self.lease = lease
        self.result = result
    }
}
