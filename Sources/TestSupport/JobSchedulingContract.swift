import Foundation
public import JobQueue
import Scheduling

/// The behaviour every ``JobScheduling`` backend must share: leadership, assignments, the
/// pull fallback and what a scheduler sees, on a manual clock.
public enum JobSchedulingContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case oneLeaderAtATime, assignedJobsGoToTheirWorker, pullWhileNoScheduler, pullRespectsCapacity,
         snapshotAndUnassign, goneWorkersLoseAssignments, queuedDemands, wholeRowsAfterEachTransition

    public var description: String { rawValue }

    public typealias Backend = JobScheduling
    public typealias Factory = @Sendable (ManualJobClock) throws -> any Backend

    /// Runs `contractCase` against a fresh backend from `make`, after `prepare`.
    public static func run(_ contractCase: JobSchedulingContract, make: Factory,
                           prepare: (any Backend) async throws -> Void = { _ in }) async throws {
        let clock = ManualJobClock()
        let queue = try make(clock)
        try await prepare(queue)
        let lease = Duration.seconds(600)
        @Sendable func enqueue(_ resources: ResourceRequest = ResourceRequest(), cost: Double = 1) async throws -> Job {
            try await queue.enqueue(NewJob(queue: "work", payload: Data("{}".utf8), resources: resources, cost: cost, kind: "k",
                                           affinityKey: "a", traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
        }
        let gpuWorker = Claimant(workerID: "w1", capacity: ResourceRequest(cpu: 4, memoryMB: 8192, gpu: 1, gpuMemoryMB: 16_000))
        let cpuWorker = Claimant(workerID: "w2", capacity: ResourceRequest(cpu: 2, memoryMB: 4096))

        /// The stored row equals `expected`, every column of it.
        @Sendable func expectRow(_ expected: Job, _ step: String) async throws {
            let stored = try await queue.job(id: expected.id)
            try ContractFailure.check(stored == expected, "after \(step), the stored row is the transition's result:\n"
                                      + "  stored   \(String(describing: stored))\n  expected \(expected)")
        }

        switch contractCase {
        case .wholeRowsAfterEachTransition:
            // Every transition, read back whole, equals the pure transition (JobTransitions)
            // applied to the row before it: the backends' SQL and the memory queue agree.
            var job = try await enqueue(ResourceRequest(cpu: 1, gpu: 1))
            let id = job.id
            _ = try await queue.lead(as: "s") { _ in
                try await queue.assign([JobAssignment(jobID: id, worker: "w1", gpu: 0)])
            }
            job.assignedTo = "w1"
            job.assignedGPU = 0
            try await expectRow(job, "an assignment")
            let claimed = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: gpuWorker)
            guard let first = claimed.first else { throw ContractFailure("the assigned worker claims its job") }
            job = job.claimed(token: first.token, until: first.expiresAt, now: clock.now(), by: "w1")
            try await expectRow(job, "a claim")
            clock.advance(.seconds(5))
            let beat = try await queue.heartbeat(first, extendBy: lease)
            job = job.extended(by: lease, now: clock.now())
            try await expectRow(job, "a heartbeat")
            clock.advance(.seconds(5))
            let result = Data("done".utf8)
            try ContractFailure.check(try await queue.complete([JobCompletion(lease: beat, result: result)]).isEmpty, "it completes")
            job = job.completed(result: result, now: clock.now())
            try await expectRow(job, "a completion")

            // Handed back, then failed for good, then cancelled (a dead job stays dead).
            var other = try await enqueue()
            guard let second = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: cpuWorker).first else {
                throw ContractFailure("a second job is claimed")
            }
            other = other.claimed(token: second.token, until: second.expiresAt, now: clock.now(), by: "w2")
            clock.advance(.seconds(1))
            _ = try await queue.release(second)
            other = other.handedBack(now: clock.now())
            try await expectRow(other, "a hand-back")
            guard let third = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: cpuWorker).first else {
                throw ContractFailure("the handed-back job is claimed again")
            }
            other = other.claimed(token: third.token, until: third.expiresAt, now: clock.now(), by: "w2")
            clock.advance(.seconds(1))
            _ = try await queue.fail(third, error: "broken", permanent: true)
            other = other.failed("broken", permanent: true, now: clock.now(), backoff: RetryBackoff(), random: 0)
            try await expectRow(other, "a permanent failure")
            clock.advance(.seconds(1))
            _ = try await queue.cancel(jobID: other.id)
            other = other.cancelled(now: clock.now())
            try await expectRow(other, "a cancellation of a dead job")

            // A lease that runs out.
            var expiring = try await enqueue()
            guard let fourth = try await queue.claim(from: "work", limit: 1, leaseFor: .seconds(30), by: cpuWorker).first else {
                throw ContractFailure("a third job is claimed")
            }
            expiring = expiring.claimed(token: fourth.token, until: fourth.expiresAt, now: clock.now(), by: "w2")
            clock.advance(.seconds(31))
            let reclaimed = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: cpuWorker)
            expiring = expiring.leaseExpired(now: clock.now())
            if let again = reclaimed.first {
                expiring = expiring.claimed(token: again.token, until: again.expiresAt, now: clock.now(), by: "w2")
            }
            try await expectRow(expiring, "an expired lease (and the claim that found it)")

        case .oneLeaderAtATime:
            try ContractFailure.check(try await queue.leader() == nil, "no leader at first")
            let led = try await queue.lead(as: "a") { term in
                try ContractFailure.check(try await queue.leader()?.holder == "a", "the leader is known while it leads")
                try ContractFailure.check(try await term.renew(), "the leader renews its term")
                let second = try await queue.lead(as: "b") { _ in
                    throw ContractFailure("a second leader ran while the first led")
                }
                try ContractFailure.check(!second, "a second candidate does not lead while the first does")
            }
            try ContractFailure.check(led, "a candidate leads when no one does")
            try ContractFailure.check(try await queue.leader() == nil, "stepping down ends the term at once")
            let next = try await queue.lead(as: "b") { _ in
                try ContractFailure.check(try await queue.leader()?.holder == "b", "the next candidate leads")
            }
            try ContractFailure.check(next, "another candidate leads once the first stepped down")

        case .assignedJobsGoToTheirWorker:
            let first = try await enqueue()
            let second = try await enqueue()
            _ = try await queue.lead(as: "s") { _ in
                try await queue.assign([JobAssignment(jobID: first.id, worker: "w1"), JobAssignment(jobID: second.id, worker: "w2")])
                let assigned = try await queue.job(id: second.id)
                try ContractFailure.check(assigned?.assignedTo == "w2", "an assignment is recorded")
                try ContractFailure.check(try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: nil).isEmpty,
                                          "an anonymous claim takes no assigned job")
                let claimed = try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: cpuWorker)
                try ContractFailure.check(claimed.map(\.job.id) == [second.id], "a worker claims only its own assignments (\(claimed.map(\.job.id)))")
                try ContractFailure.check(claimed.first?.job.claimedBy == "w2", "and the claim names it")
                // A third job, unassigned, is not pulled while the scheduler leads.
                _ = try await enqueue()
                let mine = try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: gpuWorker)
                try ContractFailure.check(mine.map(\.job.id) == [first.id], "no pulling while a scheduler leads (\(mine.count))")
                // Assigning a job already claimed changes nothing.
                try await queue.assign([JobAssignment(jobID: second.id, worker: "w1")])
                try ContractFailure.check(try await queue.job(id: second.id)?.claimedBy == "w2", "a claimed job is not reassigned")
            }

        case .pullWhileNoScheduler:
            let job = try await enqueue(cost: 7)
            let claimed = try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: cpuWorker)
            try ContractFailure.check(claimed.map(\.job.id) == [job.id], "with no scheduler, a worker pulls unassigned jobs")
            try ContractFailure.check(claimed.first?.job.cost == 7 && claimed.first?.job.kind == "k"
                                      && claimed.first?.job.affinityKey == "a"
                                      && claimed.first?.job.traceParent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                      "cost, kind, affinity key and trace parent come back")
            // A scheduler that stopped renewing is as good as none.
            let stale = try await enqueue()
            _ = try await queue.lead(as: "s") { _ in
                try ContractFailure.check(try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: cpuWorker).isEmpty,
                                          "no pulling while the scheduler's term is fresh")
                clock.advance(.seconds(SchedulerLease.ttl + 1))
                let pulled = try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: cpuWorker)
                try ContractFailure.check(pulled.map(\.job.id) == [stale.id], "workers pull once the scheduler's term is stale")
            }

        case .pullRespectsCapacity:
            let gpuJob = try await enqueue(ResourceRequest(cpu: 1, gpu: 0.5, gpuMemoryMB: 8000))
            let bigJob = try await enqueue(ResourceRequest(cpu: 3))
            let hugeGPU = try await enqueue(ResourceRequest(cpu: 1, gpu: 1, gpuMemoryMB: 40_000))
            try ContractFailure.check(try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: cpuWorker).isEmpty,
                                      "a CPU-only worker with 2 slots pulls neither a GPU job nor a 3-CPU job")
            let claimed = try await queue.claim(from: "work", limit: 5, leaseFor: lease, by: gpuWorker)
            try ContractFailure.check(Set(claimed.map(\.job.id)) == [gpuJob.id, bigJob.id],
                                      "a worker pulls the jobs its capacity covers, not those needing more GPU memory")
            try ContractFailure.check(claimed.first { $0.job.id == gpuJob.id }?.job.resources
                                      == ResourceRequest(cpu: 1, gpu: 0.5, gpuMemoryMB: 8000), "resources come back as enqueued")
            try ContractFailure.check(try await queue.job(id: hugeGPU.id)?.status == .queued, "the job nobody fits stays queued")

        case .snapshotAndUnassign:
            let first = try await enqueue(ResourceRequest(cpu: 1, gpu: 0.25, gpuMemoryMB: 1000), cost: 3)
            let second = try await enqueue()
            let third = try await enqueue()
            _ = try await queue.lead(as: "s") { _ in
                var pending = try await queue.pendingJobs(queues: ["work", "other"], limit: 1, within: nil)
                try ContractFailure.check(pending["work"]?.map(\.id) == [first.id, second.id],
                                          "pending jobs come in claim order, at most the limit of GPU jobs and of CPU jobs")
                let none = try await queue.outstandingJobs()
                try ContractFailure.check(pending["other"]?.isEmpty == true && none.isEmpty, "nothing outstanding yet")
                let cpuOnly = ResourceRequest(cpu: 2, memoryMB: 4096)
                pending = try await queue.pendingJobs(queues: ["work"], limit: 5, within: cpuOnly)
                try ContractFailure.check(pending["work"]?.map(\.id) == [second.id, third.id],
                                          "jobs the largest live worker could not run are left out")
                try await queue.assign([JobAssignment(jobID: first.id, worker: "w1", gpu: 0), JobAssignment(jobID: second.id, worker: "w1")])
                _ = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: gpuWorker)
                pending = try await queue.pendingJobs(queues: ["work"], limit: 10, within: nil)
                try ContractFailure.check(pending["work"]?.map(\.id) == [third.id], "assigned jobs are no longer pending")
                let outstanding = try await queue.outstandingJobs().sorted { $0.jobID == first.id && $1.jobID != first.id }
                try ContractFailure.check(outstanding.count == 2 && outstanding[0] == OutstandingJob(
                    jobID: first.id, worker: "w1", gpu: 0, resources: ResourceRequest(cpu: 1, gpu: 0.25, gpuMemoryMB: 1000),
                    cost: 3, queued: false) && outstanding[1].jobID == second.id && outstanding[1].queued,
                    "outstanding: the running job with its GPU, and the assigned one waiting (\(outstanding))")
                try ContractFailure.check(try await queue.unassign(workers: ["w1"]) == 1, "unassigning takes back only waiting jobs")
                try ContractFailure.check(try await queue.job(id: second.id)?.assignedTo == nil, "it is unassigned")
                // A job handed back is the scheduler's to place again.
                try await queue.assign([JobAssignment(jobID: second.id, worker: "w1")])
                let leases = try await queue.claim(from: "work", limit: 1, leaseFor: lease, by: gpuWorker)
                let back = try await queue.release(leases[0])
                try ContractFailure.check(back.assignedTo == nil && back.status == .queued, "a released job loses its assignment")
            }

        case .goneWorkersLoseAssignments:
            let worker = WorkerRecord(id: "w1", host: "h", pid: 1, version: "1", slots: 2, now: clock.now())
            try await queue.register(worker)
            let first = try await enqueue()
            let second = try await enqueue()
            try await queue.assign([JobAssignment(jobID: first.id, worker: "w1")])
            clock.advance(.seconds(30))
            _ = try await queue.sweepDeadWorkers(missing: 3)
            try ContractFailure.check(try await queue.job(id: first.id)?.assignedTo == nil, "a dead worker's assignments go back")
            try await queue.register(worker)
            try await queue.assign([JobAssignment(jobID: second.id, worker: "w1")])
            try await queue.deregister(workerID: "w1")
            try ContractFailure.check(try await queue.job(id: second.id)?.assignedTo == nil, "so do a stopped worker's")

        case .queuedDemands:
            _ = try await enqueue()
            _ = try await enqueue()
            _ = try await enqueue(ResourceRequest(cpu: 2, gpu: 1, gpuMemoryMB: 80_000))
            _ = try await enqueue(ResourceRequest(cpu: 1, memoryMB: 512))
            let demands = try await queue.queuedDemands(queue: "work")
            try ContractFailure.check(demands == [ResourceRequest(cpu: 2, gpu: 1, gpuMemoryMB: 80_000): 1,
                                                  ResourceRequest(cpu: 1, memoryMB: 512): 1],
                                      "queued jobs are counted by what they ask for, all but the default (\(demands))")
        }
    }
}
