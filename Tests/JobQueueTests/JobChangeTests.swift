import Foundation
@testable import JobQueue
@testable import JobQueuePostgres
@testable import JobQueueSQLite
import Testing

@Suite("Job transitions as changes")
struct JobChangeTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private var running: Job {
        Job(queue: "q", payload: Data(), runAt: now, maxAttempts: 2, now: now)
            .claimed(token: "t", until: now.addingTimeInterval(30), now: now, by: "w1")
    }

    @Test("every way out of running clears the lease and the assignment")
    func leavingRunningClearsTheLease() {
        var assigned = running
        assigned.assignedTo = "w1"
        assigned.assignedGPU = 0
        let later = now.addingTimeInterval(5)
        let cases: [(String, JobChange)] = [
            ("completion", .completion(result: Data([1]), now: later)),
            ("failure", .failure(of: assigned, error: "e", permanent: false, now: later, backoff: RetryBackoff(), random: 0)),
            ("permanent failure", .failure(of: assigned, error: "e", permanent: true, now: later, backoff: RetryBackoff(), random: 0)),
            ("lease expiry", .leaseExpiry(of: assigned, now: later)),
            ("hand-back", .handBack(of: assigned, now: later)),
            ("cancellation", .cancellation(of: assigned, now: later)),
        ]
        // Every way out of `running` clears the lease and the assignment, which the SQL
        // backends once forgot on completion.
        for (name, change) in cases {
            let job = change.applied(to: assigned)
            #expect(job.leaseToken == nil && job.assignedTo == nil && job.assignedGPU == nil, "\(name)")
        }
    }

    @Test("the claim increments attempts in the statement itself; a hand-back gives the attempt back")
    func attempts() {
        let queued = Job(queue: "q", payload: Data(), runAt: now, now: now)
        let claim = JobChange.claim(token: "t", until: now, now: now, by: nil)
        #expect(claim.value(of: .attempts) == .incremented)
        #expect(claim.applied(to: claim.applied(to: queued)).attempts == 2)
        #expect(JobChange.handBack(of: running, now: now).applied(to: running).attempts == 0)
        #expect(JobChange.leaseExpiry(of: running, now: now).applied(to: running).status == .queued)
        #expect(JobChange.leaseExpiry(of: running.claimed(token: "u", until: now, now: now), now: now)
            .applied(to: running).status == .dead)
    }

    @Test("each dialect renders the same change: SQLite's camelCase, PostgreSQL's snake_case")
    func rendering() {
        let change = JobChange.claim(token: "t", until: now, now: now, by: "w1")
        let sqlite = change.sqliteAssignments
        #expect(sqlite.sql == "status = ?, attempts = attempts + 1, leaseToken = ?, leaseExpiresAt = ?, claimedBy = ?, updatedAt = ?")
        #expect(JobChange.Column.leaseExpiresAt.postgresName == "lease_expires_at")
        #expect(JobChange.Column.assignedGPU.postgresName == "assigned_gpu")
        #expect(JobChange.Column.runAt.postgresName == "run_at")
        // Set in any order, rendered in one: a statement cache keeps one text per kind of change.
        let a = JobChange().setting(.updatedAt, to: .date(now)).setting(.status, to: .text("queued"))
        let b = JobChange().setting(.status, to: .text("dead")).setting(.updatedAt, to: .date(now))
        #expect(a.sqliteAssignments.sql == b.sqliteAssignments.sql)
    }
}
