public import Foundation
public import Scheduling
import Synchronization

/// Jobs in memory: for tests, and for a process that can afford to lose them.
public final class MemoryJobQueue: JobRowStore {
    private struct State {
        var jobs: [String: Job] = [:]
        var byKey: [String: String] = [:]
        /// Enqueue order, which breaks ties as SQLite's rowid does.
        var sequence: [String: Int] = [:]
        var workers: [String: WorkerRecord] = [:]
        var leader: SchedulerLeader?
        var keys: [APIKey] = []
        var audit: [AuditEntry] = []
    }

    private let state = Mutex(State())
    public let rules: JobQueueRules
    private var clock: any JobClock { rules.clock }
    private var signal: JobSignal { rules.signal }

    /// Creates an empty queue.
    public init(clock: any JobClock = SystemJobClock(), backoff: RetryBackoff = RetryBackoff(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        rules = JobQueueRules(clock: clock, backoff: backoff, random: random)
    }

    public func enqueue(_ new: NewJob) async throws(JobQueueError) -> Job {
        try await JobTrace.enqueue(new) { new throws(JobQueueError) in
            let now = clock.now()
            defer { signal.notify() }
            return state.withLock { state in
                if let key = new.idempotencyKey, let id = state.byKey[key], let existing = state.jobs[id] { return existing }
                let job = new.job(now: now)
                state.jobs[job.id] = job
                state.sequence[job.id] = state.sequence.count
                if let key = job.idempotencyKey { state.byKey[key] = job.id }
                return job
            }
        }
    }

    public func claim(from queue: String, limit: Int, leaseFor duration: Duration,
                      by claimant: Claimant?) async throws(JobQueueError) -> [JobLease] {
        let now = clock.now()
        let reaping = rules.isReapDue(now: now)
        return state.withLock { state in
            for (id, job) in state.jobs where reaping && job.status == .running && (job.leaseExpiresAt ?? now) <= now {
                state.jobs[id] = job.leaseExpired(now: now)
            }
            let pulling = claimant == nil || !Self.isLive(state.leader, now: now)
            let limits = claimant?.limits
            let next = state.jobs.values
                .filter { $0.queue == queue && $0.status == .queued && $0.runAt <= now }
                .filter { job in
                    if let claimant, job.assignedTo == claimant.workerID { return true }
                    return job.assignedTo == nil && pulling && (limits.map { job.resources.fits(within: $0) } ?? true)
                }
                .sorted { a, b in
                    Job.claimsBefore(a, b) || (!Job.claimsBefore(b, a) && state.sequence[a.id, default: 0] < state.sequence[b.id, default: 0])
                }
                .prefix(max(0, limit))
            let expiry = now.addingTimeInterval(duration.seconds)
            return next.map { job in
                let claimed = job.claimed(token: UUID().uuidString, until: expiry, now: now, by: claimant?.workerID)
                state.jobs[claimed.id] = claimed
                return JobLease(job: claimed, token: claimed.leaseToken!, expiresAt: expiry)
            }
        }
    }

    public func complete(_ completions: [JobCompletion]) async throws(JobQueueError) -> [String] {
        completions.compactMap { completion in
            do throws(JobQueueError) {
                _ = try change(completion.lease) { _, now in .completion(result: completion.result, now: now) }
                return nil
            } catch {
                return completion.lease.job.id
            }
        }
    }

    public func purge(finishedBefore cutoff: Date, limit: Int) async throws(JobQueueError) -> Int {
        state.withLock { state in
            let old = state.jobs.values.filter { ($0.status == .completed || $0.status == .cancelled) && $0.updatedAt < cutoff }
                .prefix(limit)
            for job in old {
                state.jobs[job.id] = nil
                state.sequence[job.id] = nil
                if let key = job.idempotencyKey { state.byKey[key] = nil }
            }
            return old.count
        }
    }

    public func cancel(jobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        return try state.withLock { state throws(JobQueueError) in
            guard let job = state.jobs[jobID] else { throw .notFound(jobID: jobID) }
            let cancelled = job.cancelled(now: now)
            state.jobs[jobID] = cancelled
            return cancelled
        }
    }

    public func job(id: String) async throws(JobQueueError) -> Job? {
        state.withLock { $0.jobs[id] }
    }

    public func list(queue: String, status: JobStatus?, limit: Int) async throws(JobQueueError) -> [Job] {
        state.withLock { state in
            Array(state.jobs.values.filter { $0.queue == queue && (status == nil || $0.status == status) }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.prefix(limit))
        }
    }

    public func batch(id: String) async throws(JobQueueError) -> BatchProgress {
        state.withLock { state in
            let jobs = state.jobs.values.filter { $0.batchID == id }
            return BatchProgress(counts: Dictionary(grouping: jobs, by: \.status).mapValues(\.count),
                                 startedAt: jobs.map(\.createdAt).min(),
                                 lastFinishedAt: jobs.filter { $0.status.isFinal }.map(\.updatedAt).max())
        }
    }

    public func stats(queue: String) async throws(JobQueueError) -> QueueStats {
        let now = clock.now()
        return state.withLock { state in
            let jobs = state.jobs.values.filter { $0.queue == queue }
            let due = jobs.filter { $0.status == .queued && $0.runAt <= now }.map(\.runAt).min()
            return QueueStats(depth: jobs.filter { $0.status == .queued }.count,
                              inFlight: jobs.filter { $0.status == .running }.count,
                              dead: jobs.filter { $0.status == .dead }.count,
                              oldestAge: due.map { now.timeIntervalSince($0) } ?? 0)
        }
    }

    public func deadLetters(queue: String, limit: Int) async throws(JobQueueError) -> [Job] {
        state.withLock { state in
            Array(state.jobs.values.filter { $0.queue == queue && $0.status == .dead }
                .sorted { $0.updatedAt < $1.updatedAt }.prefix(limit))
        }
    }

    public func retry(deadJobID: String) async throws(JobQueueError) -> Job {
        let now = clock.now()
        let revived = try state.withLock { state throws(JobQueueError) in
            guard let job = state.jobs[deadJobID], job.status == .dead else { throw .notFound(jobID: deadJobID) }
            let revived = job.revived(now: now)
            state.jobs[deadJobID] = revived
            return revived
        }
        signal.notify()
        return revived
    }

    public func update(_ lease: JobLease, _ transition: @escaping @Sendable (Job, Date) -> JobChange) async throws(JobQueueError) -> Job {
        try change(lease, transition)
    }

    /// Applies `transition` to the job `lease` holds, under the lock.
    private func change(_ lease: JobLease, _ transition: (Job, Date) -> JobChange) throws(JobQueueError) -> Job {
        let now = clock.now()
        return try state.withLock { state throws(JobQueueError) in
            guard let job = state.jobs[lease.job.id], job.isHeld(by: lease, now: now) else {
                throw .leaseLost(jobID: lease.job.id)
            }
            let changed = transition(job, now).applied(to: job)
            state.jobs[job.id] = changed
            return changed
        }
    }
}

extension MemoryJobQueue: AccessStore {
    public func addKey(_ key: APIKey) async throws(JobQueueError) {
        state.withLock { $0.keys.append(key) }
    }

    public func keys() async throws(JobQueueError) -> [APIKey] {
        state.withLock { $0.keys }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func key(id: String) async throws(JobQueueError) -> APIKey? {
        state.withLock { $0.keys.first { $0.id == id } }
    }

    public func revokeKey(id: String, at: Date) async throws(JobQueueError) -> Bool {
        state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.id == id && $0.isActive }) else { return false }
            state.keys[index].revokedAt = at
            return true
        }
    }

    public func recordAudit(_ entry: AuditEntry) async throws(JobQueueError) {
        state.withLock { $0.audit.append(entry) }
    }

    public func auditEntries(limit: Int) async throws(JobQueueError) -> [AuditEntry] {
        state.withLock { Array($0.audit.suffix(max(0, limit)).reversed()) }
    }
}

extension MemoryJobQueue: WorkerRegistry {
    public func requestDrain(workerID: String) async throws(JobQueueError) -> Bool {
        state.withLock { state in
            guard state.workers[workerID]?.alive == true else { return false }
            state.workers[workerID]?.drainRequested = true
            return true
        }
    }

    public func register(_ worker: WorkerRecord) async throws(JobQueueError) {
        let now = clock.now()
        state.withLock { state in
            var record = worker
            record.lastSeen = now
            record.alive = true
            state.workers[worker.id] = record
        }
    }

    public func heartbeat(workerID: String, load: WorkerRecord.Load) async throws(JobQueueError) -> Bool {
        let now = clock.now()
        return state.withLock { state in
            guard var record = state.workers[workerID], record.alive else { return false }
            record.load = load
            record.lastSeen = now
            state.workers[workerID] = record
            return true
        }
    }

    public func deregister(workerID: String) async throws(JobQueueError) {
        state.withLock { state in
            state.workers[workerID] = nil
            Self.unassign([workerID], in: &state)
        }
    }

    public func workers() async throws(JobQueueError) -> [WorkerRecord] {
        state.withLock { state in state.workers.values.sorted(by: WorkerRecord.listOrder) }
    }

    public func sweepDeadWorkers(missing beats: Int) async throws(JobQueueError) -> [String] {
        let now = clock.now()
        return state.withLock { state in
            let dead = state.workers.values.filter { $0.alive && $0.isSilent(missing: beats, now: now) }.map(\.id).sorted()
            for id in dead { state.workers[id]?.alive = false }
            // Their running jobs: the lease ends now, so the next claim returns them to the queue.
            for (id, job) in state.jobs where job.status == .running && dead.contains(job.claimedBy ?? "") {
                state.jobs[id]?.leaseExpiresAt = now
            }
            Self.unassign(dead, in: &state)
            if !dead.isEmpty { rules.reapAtNextClaim() }
            return dead
        }
    }
}

extension MemoryJobQueue: JobScheduling {
    public func lead(as holder: String, _ body: @Sendable (SchedulerTerm) async throws -> Void) async throws(JobQueueError) -> Bool {
        let clock = clock
        func take() -> Bool {
            let now = clock.now()
            return state.withLock { state in
                guard state.leader == nil || state.leader?.holder == holder || !Self.isLive(state.leader, now: now) else { return false }
                state.leader = SchedulerLeader(holder: holder, renewedAt: now)
                return true
            }
        }
        guard take() else { return false }
        defer { state.withLock { state in if state.leader?.holder == holder { state.leader = nil } } }
        do {
            try await body(SchedulerTerm { () throws(JobQueueError) -> Bool in
                let now = clock.now()
                return self.state.withLock { state in
                    guard state.leader?.holder == holder else { return false }
                    state.leader?.renewedAt = now
                    return true
                }
            })
        } catch let error as JobQueueError {
            throw error
        } catch {
            throw .storage("the scheduler stopped: \(error)")
        }
        return true
    }

    public func leader() async throws(JobQueueError) -> SchedulerLeader? {
        let now = clock.now()
        return state.withLock { state in Self.isLive(state.leader, now: now) ? state.leader : nil }
    }

    public func pendingJobs(queues: [String], limit: Int, within capacity: ResourceRequest?) async throws(JobQueueError)
        -> [String: [Job]] {
        let now = clock.now()
        return state.withLock { state in
            var pending: [String: [Job]] = [:]
            for queue in queues {
                let ordered = state.jobs.values
                    .filter { $0.queue == queue && $0.status == .queued && $0.runAt <= now && $0.assignedTo == nil }
                    .filter { job in capacity.map { job.resources.fits(within: $0) } ?? true }
                    .sorted { a, b in
                        Job.claimsBefore(a, b) || (!Job.claimsBefore(b, a) && state.sequence[a.id, default: 0] < state.sequence[b.id, default: 0])
                    }
                // CPU and GPU jobs each up to the limit, kept in claim order.
                var taken = (cpu: 0, gpu: 0)
                pending[queue] = ordered.filter { job in
                    if job.resources.gpu > 0 { taken.gpu += 1; return taken.gpu <= limit }
                    taken.cpu += 1
                    return taken.cpu <= limit
                }
            }
            return pending
        }
    }

    public func outstandingJobs() async throws(JobQueueError) -> [OutstandingJob] {
        state.withLock { state in
            state.jobs.values.compactMap { job -> OutstandingJob? in
                let worker = job.status == .queued ? job.assignedTo : job.status == .running ? job.claimedBy : nil
                return worker.map {
                    OutstandingJob(jobID: job.id, worker: $0, gpu: job.assignedGPU, resources: job.resources, cost: job.cost,
                                   queued: job.status == .queued)
                }
            }
        }
    }

    public func assign(_ assignments: [JobAssignment]) async throws(JobQueueError) {
        state.withLock { state in
            for assignment in assignments {
                guard let job = state.jobs[assignment.jobID], job.status == .queued, job.assignedTo == nil else { continue }
                state.jobs[assignment.jobID]?.assignedTo = assignment.worker
                state.jobs[assignment.jobID]?.assignedGPU = assignment.gpu
            }
        }
        signal.notify()
    }

    public func unassign(workers: [String]) async throws(JobQueueError) -> Int {
        let count = state.withLock { state in Self.unassign(workers, in: &state) }
        if count > 0 { signal.notify() }
        return count
    }

    public func queuedDemands(queue: String) async throws(JobQueueError) -> [ResourceRequest: Int] {
        state.withLock { state in
            Dictionary(grouping: state.jobs.values.filter { $0.queue == queue && $0.status == .queued && $0.resources != ResourceRequest() },
                       by: \.resources)
                .mapValues(\.count)
        }
    }

    @discardableResult
    private static func unassign(_ workers: [String], in state: inout State) -> Int {
        var count = 0
        for (id, job) in state.jobs where job.status == .queued && workers.contains(job.assignedTo ?? "") {
            state.jobs[id]?.assignedTo = nil
            state.jobs[id]?.assignedGPU = nil
            count += 1
        }
        return count
    }

    private static func isLive(_ leader: SchedulerLeader?, now: Date) -> Bool {
        leader.map { now.timeIntervalSince($0.renewedAt) < SchedulerLease.ttl } ?? false
    }
}
