import ArgumentParser

/// How a worker runs jobs: slots, leases, labels and how long finished jobs are kept.
/// Shared by `worker` and the worker `serve` embeds.
struct WorkerOptions: SettingGroup {
    @Option(help: .setting("concurrency")) var concurrency: String?
    @Option(help: .setting("lease")) var lease: String?
    @Option(help: .setting("labels")) var labels: String?
    @Option(help: .setting("job-timeout")) var jobTimeout: String?
    @Option(help: .setting("throttle")) var throttle: String?
    @Option(help: .setting("job-retention-days")) var jobRetentionDays: String?
}
