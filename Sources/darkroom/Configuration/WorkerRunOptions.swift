import ArgumentParser
import Foundation

/// The flags `serve` and `worker` share, by concern: the config file, storage and queue,
/// sources, limits, the worker and the scheduler.
struct WorkerRunOptions: ParsableArguments {
    @OptionGroup var file: ConfigFileOption
    @OptionGroup(title: "Storage and queue") var store: StoreOptions
    @OptionGroup(title: "Sources") var sources: SourceOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "Worker") var worker: WorkerOptions
    @OptionGroup(title: "Scheduling") var scheduling: SchedulingOptions

    /// The configuration from defaults, the file, the environment, then these flags and `more`.
    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment,
                               adding more: [(String, String)] = []) throws(ConfigurationError) -> DarkroomConfiguration {
        try .resolved(file: file.config, environment: environment,
                      flags: store.givenSettings + sources.givenSettings + limits.givenSettings + worker.givenSettings
                          + scheduling.givenSettings + more)
    }
}
