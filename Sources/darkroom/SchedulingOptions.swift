import ArgumentParser

/// The flags `serve` and `worker` share for job placement: fair share, the scheduler's
/// strategy and candidacy, and the registry heartbeat.
struct SchedulingOptions: ParsableArguments {
    @Option(help: "Fair share between queues: name=weight,… (uploads=10,pipelines=1,webhooks=5).") var queueWeights: String?
    @Option(help: "Scheduler strategy: NAME, or queue=NAME pairs (round-robin, least-loaded, adaptive, bin-pack, spread, affinity).")
    var strategy: String?
    @Flag(help: "Do not stand for cluster scheduler in this process (jobs assigned to its worker still run).")
    var noScheduler = false
    @Option(help: "Seconds between the worker's registry heartbeats (default 5); three missed and it is dead.") var heartbeat: Double?

    /// The flags as settings (name, value); those not given have no value.
    var settings: [(String, String?)] {
        [("queue-weights", queueWeights), ("strategy", strategy), ("heartbeat", heartbeat.map { String($0) }),
         ("no-scheduler", noScheduler ? "true" : nil)]
    }
}
