package import Foundation

/// The state changes of a job, each defined once as a ``JobChange``: the memory queue applies
/// it to the value, the SQL backends render it into their statements, so every backend agrees
/// on what a claim, a failure or an expired lease does.
extension JobChange {
    /// Claimed: running under a new lease, one more attempt.
    package static func claim(token: String, until expiry: Date, now: Date, by worker: String?) -> JobChange {
        JobChange()
            .setting(.status, to: .text(JobStatus.running.rawValue))
            .setting(.attempts, to: .incremented)
            .setting(.leaseToken, to: .text(token))
            .setting(.leaseExpiresAt, to: .date(expiry))
            .setting(.claimedBy, to: .text(worker))
            .setting(.updatedAt, to: .date(now))
    }

    /// Heartbeat: the lease now ends `duration` from `now`; with `progress`, the running job's
    /// result holds that report (what a long-running job says about itself) until the next.
    package static func heartbeat(by duration: Duration, now: Date, progress: Data? = nil) -> JobChange {
        let change = JobChange()
            .setting(.leaseExpiresAt, to: .date(now.addingTimeInterval(duration.seconds)))
            .setting(.updatedAt, to: .date(now))
        return progress.map { change.setting(.result, to: .blob($0)) } ?? change
    }

    /// No lease, changed at `now`: every way out of `running` starts here. The assignment goes
    /// too: a job back in the queue is the scheduler's to place again.
    private static func release(now: Date) -> JobChange {
        JobChange()
            .setting(.leaseToken, to: .text(nil))
            .setting(.leaseExpiresAt, to: .date(nil))
            .setting(.assignedTo, to: .text(nil))
            .setting(.assignedGPU, to: .integer(nil))
            .setting(.updatedAt, to: .date(now))
    }

    /// Finished with `result`.
    package static func completion(result: Data?, now: Date) -> JobChange {
        release(now: now)
            .setting(.status, to: .text(JobStatus.completed.rawValue))
            .setting(.result, to: .blob(result))
    }

    /// The lease ran out without an answer, for a job on its `attempts`-th of `maxAttempts`:
    /// that attempt failed. Back to the queue, or to the dead letters when it was the last
    /// attempt (a job that kills its workers).
    package static func leaseExpiry(of job: Job, now: Date) -> JobChange {
        release(now: now)
            .setting(.lastError, to: .text("the lease expired after attempt \(job.attempts): the worker died or hung"))
            .setting(.status, to: .text((job.attempts >= job.maxAttempts ? JobStatus.dead : .queued).rawValue))
            .setting(.runAt, to: .date(now))
    }

    /// Failed by its worker: retried after a back-off, or dead when out of attempts or when
    /// the failure is permanent.
    package static func failure(of job: Job, error: String, permanent: Bool, now: Date, backoff: RetryBackoff,
                                random: Double) -> JobChange {
        let change = release(now: now).setting(.lastError, to: .text(error))
        if permanent || job.attempts >= job.maxAttempts {
            return change.setting(.status, to: .text(JobStatus.dead.rawValue))
        }
        return change
            .setting(.status, to: .text(JobStatus.queued.rawValue))
            .setting(.runAt, to: .date(now.addingTimeInterval(backoff.delay(afterAttempts: job.attempts, random: random))))
    }

    /// Handed back by a worker that is stopping: queued at once, and the attempt does not count.
    package static func handBack(of job: Job, now: Date) -> JobChange {
        release(now: now)
            .setting(.status, to: .text(JobStatus.queued.rawValue))
            .setting(.attempts, to: .integer(max(0, job.attempts - 1)))
            .setting(.runAt, to: .date(now))
    }

    /// Cancelled; a job already finished keeps its final status.
    package static func cancellation(of job: Job, now: Date) -> JobChange {
        let change = release(now: now)
        return job.status.isFinal ? change : change.setting(.status, to: .text(JobStatus.cancelled.rawValue))
    }

    /// A dead job back in the queue with fresh attempts.
    package static func revival(now: Date) -> JobChange {
        JobChange()
            .setting(.status, to: .text(JobStatus.queued.rawValue))
            .setting(.assignedTo, to: .text(nil))
            .setting(.assignedGPU, to: .integer(nil))
            .setting(.attempts, to: .integer(0))
            .setting(.runAt, to: .date(now))
            .setting(.updatedAt, to: .date(now))
    }
}

extension Job {
    package func claimed(token: String, until expiry: Date, now: Date, by worker: String? = nil) -> Job {
        JobChange.claim(token: token, until: expiry, now: now, by: worker).applied(to: self)
    }

    package func extended(by duration: Duration, now: Date) -> Job {
        JobChange.heartbeat(by: duration, now: now).applied(to: self)
    }

    package func leaseExpired(now: Date) -> Job {
        JobChange.leaseExpiry(of: self, now: now).applied(to: self)
    }

    package func failed(_ error: String, permanent: Bool, now: Date, backoff: RetryBackoff, random: Double) -> Job {
        JobChange.failure(of: self, error: error, permanent: permanent, now: now, backoff: backoff, random: random)
            .applied(to: self)
    }

    package func handedBack(now: Date) -> Job {
        JobChange.handBack(of: self, now: now).applied(to: self)
    }

    package func completed(result: Data?, now: Date) -> Job {
        JobChange.completion(result: result, now: now).applied(to: self)
    }

    package func cancelled(now: Date) -> Job {
        JobChange.cancellation(of: self, now: now).applied(to: self)
    }

    package func revived(now: Date) -> Job {
        JobChange.revival(now: now).applied(to: self)
    }

    /// Whether `lease` still holds this job.
    package func isHeld(by lease: JobLease, now: Date) -> Bool {
        status == .running && leaseToken == lease.token && (leaseExpiresAt.map { $0 > now } ?? false)
    }

    /// Claim order: higher priority first, then the earliest due, then the oldest.
    package static func claimsBefore(_ a: Job, _ b: Job) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.runAt != b.runAt { return a.runAt < b.runAt }
        return a.createdAt < b.createdAt
    }
}
