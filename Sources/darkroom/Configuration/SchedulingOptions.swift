import ArgumentParser

/// The cluster scheduler's settings: fair share, placement, candidacy and heartbeats.
/// Shared by `serve` and `worker`.
struct SchedulingOptions: SettingGroup {
    @Option(help: .setting("queue-weights")) var queueWeights: String?
    @Option(help: .setting("strategy")) var strategy: String?
    @Flag(help: .setting("no-scheduler")) var noScheduler = false
    @Option(help: .setting("heartbeat")) var heartbeat: String?
}
