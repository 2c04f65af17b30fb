public import Foundation
public import Scheduling

/// What the cluster scheduler needs from the queue's database, beside ``JobQueue`` and
/// ``WorkerRegistry``: leadership, a view of pending and outstanding work, and assignments.
///
/// Exactly one process schedules at a time. PostgreSQL elects it with an advisory lock held
/// on a connection of its own, so the lock goes the moment the leader's process dies; SQLite
/// and memory use a lease row. While a leader renews its term (at least every second), workers
/// claim only what it assigned them; once no term has been renewed for ``SchedulerLease/ttl``,
/// they pull unassigned jobs themselves, so nothing stalls without a scheduler.
public protocol JobScheduling: JobQueue, WorkerRegistry {
    /// Runs `body` while this process leads, as `holder`; returns false at once when another
    /// process leads. Leadership ends when `body` returns or throws, or when a renewal fails.
    func lead(as holder: String, _ body: @Sendable (SchedulerTerm) async throws -> Void) async throws(JobQueueError) -> Bool
    /// The current leader, if any process has renewed its term lately.
    func leader() async throws(JobQueueError) -> SchedulerLeader?
    /// Every job given to a worker and not finished (assigned and waiting, or running).
    func outstandingJobs() async throws(JobQueueError) -> [OutstandingJob]
    /// Due, unassigned queued jobs of each of `queues` that `capacity` (the most any live
    /// worker offers) covers, in claim order: at most `limit` CPU jobs and `limit` GPU jobs per
    /// queue, so GPU jobs waiting for a GPU never hide the CPU jobs behind them, and jobs no
    /// worker could run never hide the others.
    func pendingJobs(queues: [String], limit: Int, within capacity: ResourceRequest?) async throws(JobQueueError)
        -> [String: [Job]]
    /// Gives jobs to workers; a job that was claimed, cancelled or assigned meanwhile is left
    /// alone. Wakes the workers (in every process, for PostgreSQL).
    func assign(_ assignments: [JobAssignment]) async throws(JobQueueError)
    /// Takes back the queued jobs assigned to `workers` (dead or gone), for the scheduler to
    /// place again. Returns how many.
    func unassign(workers: [String]) async throws(JobQueueError) -> Int
    /// The resource requests of `queue`'s queued jobs other than the default (one CPU slot, which
    /// every worker fits), with how many ask for each: what `/v1/queues` and the gauges check
    /// against the live workers to count unschedulable jobs. A partial index holds only those
    /// jobs, so a backlog of ordinary jobs costs this nothing.
    func queuedDemands(queue: String) async throws(JobQueueError) -> [ResourceRequest: Int]
}

/// How long a scheduler's term lasts without renewal before workers pull for themselves and
/// another process may take over (lease-based backends).
public enum SchedulerLease {
    public static let ttl: TimeInterval = 3
}

/// The leader's handle on its term.
public struct SchedulerTerm: Sendable {
    private let renewal: @Sendable () async throws(JobQueueError) -> Bool

    /// A term renewed by `renewal`.
    public init(renewal: @escaping @Sendable () async throws(JobQueueError) -> Bool) { self.renewal = renewal }

    /// Extends the term; false (or a thrown error) means leadership is lost and the leader must stop.
    public func renew() async throws(JobQueueError) -> Bool { try await renewal() }
}

/// Who schedules now.
public struct SchedulerLeader: Sendable, Equatable, Codable {
    /// The leader's worker id (or process id when it runs no worker).
    public var holder: String
    public var renewedAt: Date

    /// Describes a leader.
    public init(holder: String, renewedAt: Date) {
        self.holder = holder
        self.renewedAt = renewedAt
    }
}

/// What the scheduler places: pending jobs, and the load already on the workers.
public struct SchedulingSnapshot: Sendable {
    /// Due, unassigned queued jobs by queue, in claim order.
    public var pending: [String: [Job]]
    /// Jobs given to a worker and not finished (assigned and waiting, or running).
    public var outstanding: [OutstandingJob]

    /// Creates a snapshot.
    public init(pending: [String: [Job]], outstanding: [OutstandingJob]) {
        self.pending = pending
        self.outstanding = outstanding
    }
}

/// A job that occupies a worker: assigned to it, or running there.
public struct OutstandingJob: Sendable, Equatable {
    public var jobID: String
    public var worker: String
    /// The GPU (device index) it holds, if any.
    public var gpu: Int?
    public var resources: ResourceRequest
    public var cost: Double
    /// Whether it is still waiting (true) or running (false).
    public var queued: Bool

    /// Describes an outstanding job.
    public init(jobID: String, worker: String, gpu: Int?, resources: ResourceRequest, cost: Double, queued: Bool) {
        self.jobID = jobID
        self.worker = worker
        self.gpu = gpu
        self.resources = resources
        self.cost = cost
        self.queued = queued
    }
}

/// A scheduling decision: this job to this worker (and its GPU).
public struct JobAssignment: Sendable, Equatable {
    public var jobID: String
    public var worker: String
    /// The GPU's device index, for a GPU job.
    public var gpu: Int?

    /// Describes an assignment.
    public init(jobID: String, worker: String, gpu: Int? = nil) {
        self.jobID = jobID
        self.worker = worker
        self.gpu = gpu
    }
}
