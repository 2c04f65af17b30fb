import Foundation

/// A worker's claim on a job until ``expiresAt``; heartbeats extend it. Finishing a job needs
/// the lease's token, so a worker whose lease expired (and whose job another worker took)
/// cannot complete it twice.
public struct JobLease: Sendable, Equatable {
    /// The job as claimed (status `running`, attempts counted).
    public var job: Job
    public var token: String
    public var expiresAt: Date
}
