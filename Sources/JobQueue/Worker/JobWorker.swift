import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle
import Synchronization
public import Scheduling
import Tracing

/// Claims jobs and runs them, `concurrency` at a time, claiming only for free slots (several
/// in one call when several are free).
///
/// A running job's lease is extended by heartbeats every third of its length. On graceful
/// shutdown the worker stops claiming, lets running jobs finish for up to `drainTimeout`, and
/// then cancels them and hands their leases back (the attempt is not counted), so another
/// worker picks them up at once instead of after the lease runs out.
public struct JobWorker: Service {
    /// How the worker behaves.
    public struct Settings: Sendable {
        /// Jobs run at once.
        public var concurrency: Int
        /// Lease length; heartbeats extend it while a job runs.
        public var lease: Duration
        /// The longest an idle slot waits before claiming again; an enqueue (or, on PostgreSQL,
        /// a NOTIFY from any process) wakes it sooner.
        public var pollInterval: Duration
        /// How long running jobs may take to finish once shutdown starts.
        public var drainTimeout: Duration
        /// How often a running job's lease is extended; a third of the lease by default.
        public var heartbeat: Duration
        /// The most jobs one claim takes (never more than the free slots).
        public var claimBatch: Int
        /// Weighted fair share between queues: a queue of weight 10 gets ten times the claims of
        /// one of weight 1 while both have jobs; an idle queue's share goes to the others.
        /// Queues not named weigh 1.
        public var weights: [String: Double]
        /// Slows every job down this many times (1: not at all), by waiting after it runs, so
        /// that tests and demos can show what the scheduler does with a slow worker.
        public var throttle: Double
        /// How long a job whose dependency did not answer (``JobFailure/unavailable(_:)``) holds
        /// its slot before it goes back to the queue.
        public var unavailablePause: Duration
        /// The longest one run of a job may take (nil: no limit). Past it the run is cancelled
        /// and the attempt fails like any error, to be retried or dead-lettered: a run that
        /// waits on something that never answers would otherwise hold its slot, and extend its
        /// lease, for ever.
        public var runLimit: Duration?
        /// Queues whose jobs run until they are cancelled (streams): no run limit for them, their
        /// progress reports stored every ``progressInterval``, and at shutdown they are handed
        /// back at once instead of drained.
        public var endlessQueues: Set<String>
        /// How often a running job of an endless queue has its newest progress report stored
        /// (with a lease extension); a cancelled one notices within it.
        public var progressInterval: Duration

        /// Creates settings.
        public init(concurrency: Int = 2, lease: Duration = .seconds(60), pollInterval: Duration = .milliseconds(500),
                    drainTimeout: Duration = .seconds(20), heartbeat: Duration? = nil, claimBatch: Int = 16,
                    weights: [String: Double] = [:], throttle: Double = 1, unavailablePause: Duration = .seconds(2),
                    runLimit: Duration? = nil, endlessQueues: Set<String> = [], progressInterval: Duration = .seconds(1)) {
            self.endlessQueues = endlessQueues
            self.progressInterval = progressInterval
            self.runLimit = runLimit
            self.unavailablePause = unavailablePause
            self.throttle = max(1, throttle)
            self.claimBatch = max(1, claimBatch)
            self.weights = weights.mapValues { max($0, 0.001) }
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.heartbeat = heartbeat ?? lease / 3
            self.pollInterval = pollInterval
            self.drainTimeout = drainTimeout
        }
    }

    let queue: any JobQueue
    /// Queue name → its handler; slots take turns over the queues.
    let handlers: [(String, any JobHandler)]
    let settings: Settings
    let logger: Logger
    let metrics: any MetricsFactory
    let registration: Registration?
    /// Jobs completed so far and how long they took, for what heartbeats report.
    private let history = JobHistory()

    /// How a worker announces itself.
    public struct Registration: Sendable {
        /// Where the worker registers; at shutdown its assignments are handed back there too.
        public var registry: any JobScheduling
        public var record: WorkerRecord
        /// Heartbeat period; a worker silent for three of them is taken for dead.
        public var interval: Duration
        /// Reads the GPUs' live use for each heartbeat (nil: not reported).
        public var liveGPUs: (@Sendable () async -> [WorkerRecord.GPU]?)?

        /// Describes a registration.
        public init(registry: any JobScheduling, record: WorkerRecord, interval: Duration = .seconds(5),
                    liveGPUs: (@Sendable () async -> [WorkerRecord.GPU]?)? = nil) {
            self.registry = registry
            self.record = record
            self.record.heartbeatSeconds = interval.seconds
            self.interval = interval
            self.liveGPUs = liveGPUs
        }
    }

    /// Creates a worker for the queues in `handlers`; `metrics` defaults to the bootstrapped
    /// system. With a `registration` it registers, sends heartbeats and claims in its name.
    public init(queue: any JobQueue, handlers: [String: any JobHandler], settings: Settings = Settings(),
                registration: Registration? = nil,
                logger: Logger = Logger(label: "darkroom.worker"), metrics: any MetricsFactory = MetricsSystem.factory) {
        self.metrics = metrics
        self.registration = registration
        self.queue = queue
        self.handlers = handlers.sorted { $0.key < $1.key }
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        logger.info("worker started", metadata: ["queues": "\(handlers.map(\.0))", "concurrency": "\(settings.concurrency)"])
        let slots = SlotPool(slots: settings.concurrency)
        guard let registration else {
            await dispatch(slots)
            logger.info("worker stopped")
            return
        }
        // Registered: heartbeats run until the last job has finished, so a draining worker is
        // never taken for dead and its jobs never run twice.
        do { try await registration.registry.register(registration.record) } catch {
            logger.warning("cannot register; running unregistered", metadata: ["error": "\(error)"])
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeats(registration, slots: slots) }
            await dispatch(slots)
            // Drained by an operator rather than shut down: stay, quiet and visible as
            // draining, until the process is told to stop (ending here would stop a `serve`).
            if history.snapshot().drainRequested { try? await gracefulShutdown() }
            group.cancelAll()
        }
        try? await registration.registry.deregister(workerID: registration.record.id)
        logger.info("worker stopped")
    }

    /// Every `interval`: tell the registry this worker is alive and how busy, and sweep workers
    /// that fell silent (any process may; the first one does it).
    private func heartbeats(_ registration: Registration, slots: SlotPool) async {
        var lastCount = history.snapshot().completed
        var lastTime = ContinuousClock.now
        let missing = 3
        var streak = HeartbeatStreak(interval: registration.interval, beats: missing)
        while !Task.isCancelled {
            do { try await Task.sleep(for: registration.interval) } catch { return }
            // Throughput since the last beat: what the autoscaling signal divides the backlog by.
            let (current, time) = (history.snapshot(), ContinuousClock.now)
            let seconds = (time - lastTime).seconds
            let rate = seconds > 0 ? Double(current.completed - lastCount) / seconds : nil
            (lastCount, lastTime) = (current.completed, time)
            let load = self.load(slots, jobsPerSecond: rate, gpus: await registration.liveGPUs?())
            do {
                if try await !registration.registry.heartbeat(workerID: registration.record.id, load: load) {
                    // Marked dead while alive (a long pause): come back.
                    try await registration.registry.register(registration.record)
                }
                if !current.drainRequested,
                   try await registration.registry.workers().first(where: { $0.id == registration.record.id })?.drainRequested == true {
                    logger.notice("an operator asked this worker to drain: it claims nothing more")
                    history.requestDrain()
                    // Draining from now on, in the registry too, though the dispatcher notices
                    // only when a slot frees.
                    await stoppedClaiming(slots)
                }
                // Not right after an outage: the others may not have had their turn yet.
                guard streak.answered(at: .now) else { continue }
                let dead = try await registration.registry.sweepDeadWorkers(missing: missing)
                if !dead.isEmpty { logger.warning("workers missed their heartbeats; their jobs go back", metadata: ["workers": "\(dead)"]) }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Claims for free slots and runs jobs until shutdown, then waits for the running ones.
    private func dispatch(_ slots: SlotPool) async {
        let claimant = registration.map { Claimant(workerID: $0.record.id, capacity: $0.record.capacity) }
        await withDiscardingTaskGroup { group in
            var share = FairShare(queues: handlers.map(\.0), weights: settings.weights)
            // The dispatcher: wait for free slots, claim at most that many jobs in one call from
            // the queue whose fair share is most behind, and run each job in a task that frees
            // its slot when done.
            while !Task.isShuttingDownGracefully, !Task.isCancelled, !history.snapshot().drainRequested {
                let free = await cancelWhenGracefulShutdown { await slots.acquire(upTo: self.settings.claimBatch) }
                guard free > 0 else { break }
                guard !history.snapshot().drainRequested else {
                    slots.release(free)
                    break
                }
                var claimed: (any JobHandler, [JobLease])?
                for (position, index) in share.order().enumerated() {
                    let (name, handler) = handlers[index]
                    // The queue most behind takes one job, keeping the weights exact; a queue
                    // reached because every one before it was empty takes all the free slots.
                    let limit = position > 0 || handlers.count == 1 ? free : 1
                    do {
                        let claimStarted = DefaultTracerClock.now
                        let leases = try await queue.claim(from: name, limit: limit, leaseFor: settings.lease, by: claimant)
                        JobTrace.claimed(leases, from: name, startedAt: claimStarted)
                        if !leases.isEmpty {
                            share.served(index, jobs: leases.count)
                            claimed = (handler, leases)
                            break
                        }
                        share.idle(index)
                    } catch {
                        logger.warning("claim failed", metadata: ["queue": "\(name)", "error": "\(error)"])
                        break
                    }
                }
                let leases = claimed?.1 ?? []
                slots.release(free - leases.count)
                if let handler = claimed?.0 {
                    // A job that asks for several CPUs holds that many slots (at most all of them).
                    // One-slot jobs start at once on the slot claimed for them; wider ones give
                    // theirs back and then gather what they need one after another, waiting only
                    // on jobs already running, so two wide jobs never hold half each.
                    let width = { (lease: JobLease) in min(self.settings.concurrency, max(1, Int(lease.job.resources.cpu.rounded(.up)))) }
                    let wide = leases.filter { width($0) > 1 }
                    slots.release(wide.count)
                    for lease in leases where width(lease) == 1 {
                        group.addTask {
                            await self.execute(lease, with: handler)
                            slots.release()
                        }
                    }
                    for lease in wide {
                        var held = 0
                        while held < width(lease) {
                            let want = width(lease) - held
                            let taken = await cancelWhenGracefulShutdown { await slots.acquire(upTo: want) }
                            if taken == 0 { break }
                            held += taken
                        }
                        guard held == width(lease) else {
                            // Shutting down before it could start: back to the queue, attempt not counted.
                            slots.release(held)
                            _ = try? await queue.release(lease)
                            continue
                        }
                        group.addTask { [held] in
                            await self.execute(lease, with: handler)
                            slots.release(held)
                        }
                    }
                } else {
                    // Idle (or the queue is down): wait for a wake-up from the queue, at most the
                    // poll interval, and not past the start of a shutdown.
                    let (queue, interval) = (queue, settings.pollInterval)
                    await cancelWhenGracefulShutdown { await queue.waitForJobs(timeout: interval) }
                }
            }
            await stoppedClaiming(slots)
        }
    }

    /// What a heartbeat reports: slots in use, and the job history's speed, durations and draining.
    private func load(_ slots: SlotPool, jobsPerSecond: Double?, gpus: [WorkerRecord.GPU]?) -> WorkerRecord.Load {
        let current = history.snapshot()
        return WorkerRecord.Load(inFlight: slots.inUse, cpuUtilisation: Double(slots.inUse) / Double(settings.concurrency),
                                 jobsPerSecond: jobsPerSecond, speed: current.speed,
                                 recentDurations: current.durations.isEmpty ? nil : current.durations,
                                 gpus: gpus, draining: current.draining ? true : nil)
    }

    /// Says so in the registry at once (the scheduler stops assigning to a draining worker) and
    /// hands back the assignments it will not claim, while its running jobs finish.
    private func stoppedClaiming(_ slots: SlotPool) async {
        history.markDraining()
        guard let registration else { return }
        _ = try? await registration.registry.heartbeat(workerID: registration.record.id,
                                                       load: load(slots, jobsPerSecond: nil, gpus: nil))
        _ = try? await registration.registry.unassign(workers: [registration.record.id])
    }

    private enum Event: Sendable {
        case finished(Result<Data?, any Error>)
        case drainExpired
        case leaseLost
        case ranPastLimit(Duration)
    }

    /// Runs one job with heartbeats and the shutdown deadline, then records the outcome.
    private func execute(_ lease: JobLease, with handler: any JobHandler) async {
        let job = lease.job
        let started = ContinuousClock.now
        logger.debug("running a job", metadata: ["job": "\(job.id)", "queue": "\(job.queue)", "attempt": "\(job.attempts)"])
        let progress = JobProgress()
        let event = await withTaskGroup(of: Event.self) { group in
            group.addTask {
                // The run is a span of the trace that enqueued the job, and the handler's own
                // spans (fetch, decode, encode, enqueues) are its children.
                let result = await InstrumentationSystem.tracer.withSpan("job.run", context: JobTrace.context(of: job),
                                                                        ofKind: .consumer) { span -> Result<Data?, any Error> in
                    span.attributes["messaging.destination.name"] = job.queue
                    span.attributes["messaging.message.id"] = job.id
                    span.attributes["job.attempt"] = job.attempts
                    do { return .success(try await handler.handle(job, progress: progress)) } catch {
                        span.recordError(error)
                        return .failure(error)
                    }
                }
                if self.settings.throttle > 1 {
                    // A deliberately slow worker: wait out (throttle - 1) × the run, holding the slot.
                    try? await Task.sleep(for: (ContinuousClock.now - started) * (self.settings.throttle - 1))
                }
                return .finished(result)
            }
            group.addTask { await self.heartbeats(lease) }
            // Only long-running jobs report progress: other jobs get no task and no timer for it.
            if self.settings.endlessQueues.contains(job.queue) {
                group.addTask { await self.progressReports(lease, progress) }
            }
            if let limit = self.settings.runLimit, !self.settings.endlessQueues.contains(job.queue) {
                group.addTask {
                    // Cancelled with the others when the job ends first, and then its answer is
                    // ignored. Cancelled first (the worker itself is cancelled), it must not fail
                    // the job: it answers as a cancelled run does, which hands the job back.
                    do { try await Task.sleep(for: limit) } catch { return .finished(.failure(CancellationError())) }
                    return .ranPastLimit(limit)
                }
            }
            group.addTask {
                // Graceful shutdown interrupts a job only after the drain time; cancelling the
                // worker outright hands the job back at once. (When another event came first,
                // this answer is ignored.)
                try? await gracefulShutdown()
                // A job that runs until it is cancelled (a stream) would only hold the shutdown
                // up for the drain time: it is handed back at once, for another worker to take.
                if !self.settings.endlessQueues.contains(job.queue) { try? await Task.sleep(for: self.settings.drainTimeout) }
                return .drainExpired
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        let seconds = (ContinuousClock.now - started).seconds
        let dimensions = [("queue", job.queue)]
        do {
            switch event {
            case let .finished(.success(result)):
                try await queue.complete(lease, result: result)
                history.record(job, seconds: seconds)
                record("completed", seconds, dimensions)
            case let .finished(.failure(error)) where error is CancellationError || Task.isCancelled:
                _ = try await queue.release(lease)
                record("released", seconds, dimensions)
            case let .finished(.failure(JobFailure.unavailable(reason))):
                // The slot stays taken for the pause, so a worker cut off from its storage does
                // not spin through the queue handing jobs back.
                try? await Task.sleep(for: settings.unavailablePause)
                _ = try await queue.release(lease)
                record("released", seconds, dimensions)
                logger.warning("job handed back: a dependency did not answer", metadata: ["job": "\(job.id)", "error": "\(reason)"])
            case let .finished(.failure(error)):
                let permanent: Bool
                if case .permanent = error as? JobFailure { permanent = true } else { permanent = false }
                let failed = try await queue.fail(lease, error: String(describing: error), permanent: permanent)
                record(failed.status == .dead ? "dead" : "retried", seconds, dimensions)
                logger.warning("job failed", metadata: [
                    "job": "\(job.id)", "attempt": "\(job.attempts)", "status": "\(failed.status)", "error": "\(error)",
                ])
            case .drainExpired:
                _ = try await queue.release(lease)
                record("released", seconds, dimensions)
                logger.info("job handed back at shutdown", metadata: ["job": "\(job.id)"])
            case let .ranPastLimit(limit):
                let failed = try await queue.fail(lease, error: "ran past the run limit of \(limit.seconds) seconds", permanent: false)
                record(failed.status == .dead ? "dead" : "retried", seconds, dimensions)
                logger.warning("job ran past its run limit and was stopped", metadata: [
                    "job": "\(job.id)", "attempt": "\(job.attempts)", "status": "\(failed.status)", "limit_s": "\(limit.seconds)",
                ])
            case .leaseLost:
                // A job cancelled while it ran (a removed stream) loses its lease too: that is no fault.
                if try await queue.job(id: job.id)?.status == .cancelled {
                    record("cancelled", seconds, dimensions)
                    logger.info("job cancelled while running; stopped", metadata: ["job": "\(job.id)"])
                } else {
                    record("lease_lost", seconds, dimensions)
                    logger.warning("lease lost while running; another worker owns the job now", metadata: ["job": "\(job.id)"])
                }
            }
        } catch {
            // The lease ran out meanwhile; the queue gives the job to another worker.
            logger.warning("could not record the outcome", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Extends the lease every ``Settings/heartbeat``; returns only when the lease is lost.
    private func heartbeats(_ lease: JobLease) async -> Event {
        let interval = settings.heartbeat
        while true {
            // Cancelled, the job is handed back (as a cancelled run is), not left to its lease.
            do { try await Task.sleep(for: interval) } catch { return .finished(.failure(CancellationError())) }
            do {
                _ = try await queue.heartbeat(lease, extendBy: settings.lease)
            } catch JobQueueError.leaseLost {
                return .leaseLost
            } catch {
                // A database hiccup: try again next beat; the lease still has two thirds left.
                logger.warning("heartbeat failed", metadata: ["job": "\(lease.job.id)", "error": "\(error)"])
            }
        }
    }

    /// Stores the job's newest progress report every ``Settings/progressInterval``, extending
    /// the lease with it; returns only when the lease is lost (a cancelled job's is: the job
    /// then stops within the interval, not a heartbeat's third of a lease).
    private func progressReports(_ lease: JobLease, _ progress: JobProgress) async -> Event {
        while true {
            do { try await Task.sleep(for: settings.progressInterval) } catch { return .finished(.failure(CancellationError())) }
            guard let report = progress.take() else { continue }
            do {
                _ = try await queue.heartbeat(lease, extendBy: settings.lease, progress: report)
            } catch JobQueueError.leaseLost {
                return .leaseLost
            } catch {
                logger.warning("progress report failed", metadata: ["job": "\(lease.job.id)", "error": "\(error)"])
            }
        }
    }

    private func record(_ outcome: String, _ seconds: Double, _ dimensions: [(String, String)]) {
        Counter(label: "darkroom_jobs_total", dimensions: dimensions + [("outcome", outcome)], factory: metrics).increment()
        Metrics.Timer(label: "darkroom_job_duration_seconds", dimensions: dimensions, factory: metrics).recordSeconds(seconds)
    }
}

/// Completed jobs: how many, the worker's speed (cost per second, per slot as each job has
/// one) and seconds per job of each kind, as moving averages that favour recent jobs.
private final class JobHistory: Sendable {
    struct Snapshot {
        var completed = 0
        var speed: Double?
        var durations: [String: Double] = [:]
        var draining = false
        /// An operator asked for a drain (the registry said so at a heartbeat).
        var drainRequested = false
    }

    /// How strongly one job moves the averages.
    private static let smoothing = 0.2
    private let state = Mutex(Snapshot())

    func record(_ job: Job, seconds: Double) {
        state.withLock { state in
            state.completed += 1
            guard seconds > 0 else { return }
            let speed = job.cost / seconds
            state.speed = state.speed.map { $0 + Self.smoothing * (speed - $0) } ?? speed
            let kind = job.kind ?? job.queue
            state.durations[kind] = state.durations[kind].map { $0 + Self.smoothing * (seconds - $0) } ?? seconds
        }
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    func markDraining() { state.withLock { $0.draining = true } }

    func requestDrain() { state.withLock { $0.drainRequested = true } }
}
