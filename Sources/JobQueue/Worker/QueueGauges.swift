import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle

/// Publishes each queue's depth, in-flight jobs, dead letters and oldest due age as gauges
/// (`darkroom_queue_depth`, `darkroom_queue_in_flight`, `darkroom_queue_dead_letters`,
/// `darkroom_queue_oldest_age_seconds`), and the workers it wants (`darkroom_desired_workers`,
/// see ``ScalingSignal``) and the jobs no live worker could run (`darkroom_unschedulable_jobs`),
/// every `interval`, until shutdown.
public struct QueueGauges: Service {
    let queue: any JobScheduling
    let names: [String]
    let interval: Duration
    let logger: Logger
    let metrics: any MetricsFactory

    /// Creates the reporter; `metrics` defaults to the bootstrapped system.
    public init(queue: any JobScheduling, names: [String], interval: Duration = .seconds(5),
                logger: Logger = Logger(label: "darkroom.queue"), metrics: any MetricsFactory = MetricsSystem.factory) {
        self.metrics = metrics
        self.queue = queue
        self.names = names
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await report() }
    }

    /// Reads and publishes the stats once.
    public func report() async {
        let workers = (try? await queue.workers()) ?? []
        for name in names {
            do {
                let stats = try await queue.stats(queue: name)
                let dimensions = [("queue", name)]
                Gauge(label: "darkroom_queue_depth", dimensions: dimensions, factory: metrics).record(stats.depth)
                Gauge(label: "darkroom_queue_in_flight", dimensions: dimensions, factory: metrics).record(stats.inFlight)
                Gauge(label: "darkroom_queue_dead_letters", dimensions: dimensions, factory: metrics).record(stats.dead)
                Gauge(label: "darkroom_queue_oldest_age_seconds", dimensions: dimensions, factory: metrics).record(stats.oldestAge)
                let signal = ScalingSignal(queue: name, stats: stats, workers: workers)
                Gauge(label: "darkroom_desired_workers", dimensions: dimensions, factory: metrics).record(signal.desiredWorkers)
                let unschedulable = try await queue.unschedulableJobs(queue: name, liveWorkers: workers.filter(\.alive))
                Gauge(label: "darkroom_unschedulable_jobs", dimensions: dimensions, factory: metrics).record(unschedulable)
            } catch {
                logger.warning("queue stats failed", metadata: ["queue": "\(name)", "error": "\(error)"])
            }
        }
    }
}
