import Foundation
public import Logging
public import Metrics
public import Scheduling
public import ServiceLifecycle

/// The cluster scheduler: a candidate in every process that may lead; the one that wins the
/// election assigns queued jobs to live workers, round after round, until it stops or loses
/// its term. The others retry every second, so one takes over within a few heartbeats of the
/// leader's death. While none leads, workers pull for themselves.
public struct JobScheduler: Service {
    /// How the scheduler behaves.
    public struct Settings: Sendable {
        /// Strategy by queue; queues not named use `defaultStrategy`.
        public var strategies: [String: StrategyName]
        public var defaultStrategy: StrategyName
        /// Weighted fair share between queues, as the workers use.
        public var weights: [String: Double]
        /// Outstanding work per worker slot, in CPUs requested: running plus ready to start.
        public var depth: Int
        /// Between rounds after one that placed jobs; an enqueue wakes it sooner.
        public var interval: Duration
        /// The longest between rounds: the wait doubles from `interval` up to this while rounds
        /// place nothing.
        public var quietInterval: Duration
        /// Between rounds while jobs wait for room on full workers.
        public var busyInterval: Duration
        /// How often a process that does not lead tries to.
        public var candidateRetry: Duration

        /// Creates settings.
        public init(strategies: [String: StrategyName] = [:], defaultStrategy: StrategyName = .adaptive,
                    weights: [String: Double] = [:], depth: Int = 2, interval: Duration = .milliseconds(200),
                    quietInterval: Duration = .seconds(1), busyInterval: Duration = .milliseconds(20),
                    candidateRetry: Duration = .seconds(1)) {
            self.busyInterval = busyInterval
            self.strategies = strategies
            self.defaultStrategy = defaultStrategy
            self.weights = weights
            self.depth = depth
            self.interval = interval
            self.quietInterval = quietInterval
            self.candidateRetry = candidateRetry
        }

        /// The longest wait before the next round, after one that waited `previous`: `interval`
        /// once a round placed jobs or found workers full, else twice `previous`, up to
        /// `quietInterval`. An idle cluster then costs a round a second instead of five;
        /// enqueues in this process, and on PostgreSQL in any, still wake the scheduler at once.
        public func wait(after previous: Duration, active: Bool) -> Duration {
            active ? interval : min(max(previous, interval) * 2, quietInterval)
        }
    }

    let queue: any JobScheduling
    let queues: [String]
    let holder: String
    let settings: Settings
    let logger: Logger
    let metrics: any MetricsFactory

    /// A candidate for `queues`, leading as `holder` (its process's worker id).
    public init(queue: any JobScheduling, queues: [String], holder: String, settings: Settings = Settings(),
                logger: Logger = Logger(label: "darkroom.scheduler"), metrics: any MetricsFactory = MetricsSystem.factory) {
        self.queue = queue
        self.queues = queues
        self.holder = holder
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let led = try await queue.lead(as: holder) { term in try await self.lead(term) }
                if led { logger.notice("stepped down as scheduler", metadata: ["holder": "\(holder)"]) }
            } catch {
                logger.warning("scheduler term ended", metadata: ["error": "\(error)"])
            }
            guard !Task.isShuttingDownGracefully else { break }
            await sleepUnlessShuttingDown(for: self.settings.candidateRetry)
        }
    }

    /// Rounds until shutdown or a lost term.
    private func lead(_ term: SchedulerTerm) async throws {
        logger.notice("leading the scheduler", metadata: ["holder": "\(holder)", "strategy": "\(describeStrategies())"])
        var round = SchedulingRound(strategies: settings.strategies, defaultStrategy: settings.defaultStrategy,
                                    weights: settings.weights, depth: settings.depth)
        let assigned = Counter(label: "darkroom_scheduler_assignments_total", factory: metrics)
        var renewed = ContinuousClock.now - .seconds(60)
        var wait = settings.interval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // Renewed about once a second: well inside the term's 3 s, without a write per round.
            if ContinuousClock.now - renewed >= .seconds(1) {
                guard try await term.renew() else {
                    logger.warning("lost the scheduler's term")
                    return
                }
                renewed = .now
            }
            var backlogged = false, placed = false
            do {
                let outcome = try await schedule(&round)
                backlogged = outcome.backlogged
                placed = !outcome.assignments.isEmpty
                assigned.increment(by: outcome.assignments.count)
            } catch {
                logger.warning("scheduling round failed", metadata: ["error": "\(error)"])
            }
            wait = settings.wait(after: wait, active: placed || backlogged)
            if backlogged {
                // Workers are full and jobs wait: room appears as jobs finish, which notifies no
                // one, so look again soon.
                await sleepUnlessShuttingDown(for: self.settings.busyInterval)
            } else {
                let (queue, interval) = (queue, wait)
                await cancelWhenGracefulShutdown { await queue.waitForJobs(timeout: interval) }
                // A burst of enqueues wakes the scheduler for each; rounds a few milliseconds apart batch them.
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// One round: take back jobs assigned to workers that are gone, then place pending work
    /// (public so tests can drive rounds one at a time).
    public func schedule(_ round: inout SchedulingRound) async throws(JobQueueError) -> SchedulingRound.Outcome {
        // Live and still claiming: a draining worker gets nothing more.
        let live = try await queue.workers().filter { $0.alive && $0.load.draining != true }
        let liveIDs = Set(live.map(\.id))
        var outstanding = try await queue.outstandingJobs()
        // Jobs taken back from workers that are gone are placed in this same round.
        let gone = Set(outstanding.filter { $0.queued && !liveIDs.contains($0.worker) }.map(\.worker))
        if !gone.isEmpty, try await queue.unassign(workers: gone.sorted()) > 0 {
            outstanding.removeAll { $0.queued && gone.contains($0.worker) }
        }
        // Only as many pending jobs as the free room can take (rounds come every 20 ms while
        // workers are full), with some spare for jobs that do not fit where there is room.
        let free = round.room(on: live, outstanding: outstanding)
        let pending = try await queue.pendingJobs(queues: queues, limit: Int(free.rounded(.up)) + 16,
                                                  within: ResourceRequest(largestOf: live.map(\.capacity)))
        let outcome = round.place(SchedulingSnapshot(pending: pending, outstanding: outstanding), on: live)
        try await queue.assign(outcome.assignments)
        return outcome
    }

    private func describeStrategies() -> String {
        ([settings.defaultStrategy.rawValue] + settings.strategies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" })
            .joined(separator: ",")
    }
}
