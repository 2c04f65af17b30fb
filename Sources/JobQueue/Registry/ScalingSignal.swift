public import Foundation

/// How many workers a queue wants, for KEDA or a Horizontal Pod Autoscaler: enough to run what
/// is in flight, plus enough to drain the backlog within `drainTarget` at the throughput live
/// workers have measured, plus one more while the oldest job has waited past `waitTarget`.
public struct ScalingSignal: Sendable, Equatable {
    public let queue: String
    public let depth: Int
    public let inFlight: Int
    public let oldestAge: TimeInterval
    public let liveWorkers: Int
    /// Jobs per second one worker completes, as measured (mean of live workers that reported).
    public let throughputPerWorker: Double?
    public let desiredWorkers: Int

    /// Drain the backlog within this long.
    public static let drainTarget: TimeInterval = 60
    /// A job waiting longer than this asks for one more worker.
    public static let waitTarget: TimeInterval = 30

    /// Computes the signal for `queue` from its stats and the registered workers.
    public init(queue: String, stats: QueueStats, workers: [WorkerRecord]) {
        let live = workers.filter(\.alive)
        let rates = live.compactMap(\.load.jobsPerSecond).filter { $0 > 0 }
        let throughput = rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)
        let slots = live.isEmpty ? 1 : max(1, live.map(\.slots).reduce(0, +) / live.count)
        // Unmeasured, a worker is assumed to finish one job per slot per second.
        let perWorker = throughput ?? Double(slots)
        var desired = Int((Double(stats.inFlight) / Double(slots)).rounded(.up))
            + Int((Double(stats.depth) / (perWorker * Self.drainTarget)).rounded(.up))
        if stats.oldestAge > Self.waitTarget { desired += 1 }
        if stats.depth + stats.inFlight > 0 { desired = max(desired, 1) }
        self.queue = queue
        depth = stats.depth
        inFlight = stats.inFlight
        oldestAge = stats.oldestAge
        liveWorkers = live.count
        throughputPerWorker = throughput
        desiredWorkers = desired
    }
}
