import ArgumentParser
import Foundation

/// Every flag `serve` takes, by concern; `darkroom config` takes the same.
struct ServeOptions: ParsableArguments {
    @OptionGroup var file: ConfigFileOption
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Storage and queue") var store: StoreOptions
    @OptionGroup(title: "Sources") var sources: SourceOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "Embedded worker") var worker: WorkerOptions
    @OptionGroup(title: "Scheduling") var scheduling: SchedulingOptions

    /// The configuration from defaults, the file, the environment and the flags, in that order.
    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError)
        -> DarkroomConfiguration {
        try .resolved(file: file.config, environment: environment,
                      flags: server.givenSettings + store.givenSettings + sources.givenSettings + limits.givenSettings
                          + worker.givenSettings + scheduling.givenSettings)
    }

    /// ``resolvedConfiguration(environment:)``, with a bad setting as a usage error (exit 2).
    func validatedConfiguration() throws -> DarkroomConfiguration {
        let result: Result<DarkroomConfiguration, ConfigurationError> = Result { () throws(ConfigurationError) in
            try resolvedConfiguration()
        }
        switch result {
        case let .success(configuration): return configuration
        case let .failure(error): throw ValidationError(error.description)
        }
    }
}
