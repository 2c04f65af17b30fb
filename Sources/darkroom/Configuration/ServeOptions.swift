import ArgumentParser
import Foundation

/// Every flag `serve` takes: the server's own, then those it shares with `worker`.
/// `darkroom config` takes the same.
struct ServeOptions: ParsableArguments {
    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup var shared: WorkerRunOptions

    /// The configuration from defaults, the file, the environment and the flags, in that order.
    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError)
        -> DarkroomConfiguration {
        try shared.resolvedConfiguration(environment: environment, adding: server.givenSettings)
    }

    /// ``resolvedConfiguration(environment:)``, with a bad setting as a usage error (exit 2).
    func validatedConfiguration() throws -> DarkroomConfiguration {
        try ValidationError.wrapping { () throws(ConfigurationError) in try resolvedConfiguration() }
    }
}
