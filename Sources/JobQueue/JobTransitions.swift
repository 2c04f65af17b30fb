package import Foundation

/// The state changes of a job, as pure functions that every backend applies, so that they all
/// agree on what a claim, a failure or an expired lease does.
extension Job {
    /// Claimed: running under a new lease, one more attempt.
    package func claimed(token: String, until expiry: Date, now: Date, by worker: String? = nil) -> Job {
        var job = self
        job.claimedBy = worker
        job.status = .running
        job.attempts += 1
        job.leaseToken = token
        job.leaseExpiresAt = expiry
        job.updatedAt = now
        return job
    }

    /// Heartbeat: the lease now ends `duration` from `now`.
    package func extended(by duration: Duration, now: Date) -> Job {
        var job = self
        job.leaseExpiresAt = now.addingTimeInterval(duration.seconds)
        job.updatedAt = now
        return job
    }

    /// The job with no lease, changed at `now`: every way out of `running` starts here. The
    /// assignment goes too: a job back in the queue is the scheduler's to place again.
    private func released(now: Date) -> Job {
        var job = self
        job.leaseToken = nil
        job.leaseExpiresAt = nil
        job.assignedTo = nil
        job.assignedGPU = nil
        job.updatedAt = now
        return job
    }

    /// Its lease ran out without an answer: that attempt failed. Back to the queue, or to the
    /// dead letters when it was the last attempt (a job that kills its workers).
    package func leaseExpired(now: Date) -> Job {
        var job = released(now: now)
        job.lastError = "the lease expired after attempt \(attempts): the worker died or hung"
        job.status = attempts >= maxAttempts ? .dead : .queued
        job.runAt = now
        return job
    }

    /// Failed by its worker: retried after a back-off, or dead when out of attempts or when
    /// the failure is permanent.
    package func failed(_ error: String, permanent: Bool, now: Date, backoff: RetryBackoff, random: Double) -> Job {
        var job = released(now: now)
        job.lastError = error
        if permanent || attempts >= maxAttempts {
            job.status = .dead
        } else {
            job.status = .queued
            job.runAt = now.addingTimeInterval(backoff.delay(afterAttempts: attempts, random: random))
        }
        return job
    }

    /// Handed back by a worker that is stopping: queued at once, and the attempt does not count.
    package func handedBack(now: Date) -> Job {
        var job = released(now: now)
        job.status = .queued
        job.attempts = max(0, attempts - 1)
        job.runAt = now
        return job
    }

    package func completed(result: Data?, now: Date) -> Job {
        var job = released(now: now)
        job.status = .completed
        job.result = result
        return job
    }

    package func cancelled(now: Date) -> Job {
        var job = released(now: now)
        if !job.status.isFinal { job.status = .cancelled }
        return job
    }

    /// A dead job back in the queue with fresh attempts.
    package func revived(now: Date) -> Job {
        var job = self
        job.status = .queued
        job.assignedTo = nil
        job.assignedGPU = nil
        job.attempts = 0
        job.runAt = now
        job.updatedAt = now
        return job
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
