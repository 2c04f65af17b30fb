import ArgumentParser
import JobQueue
import Logging

/// `--queue`, for the commands that only talk to the queue (`jobs`, `workers`, `submit`,
/// `queue bench`): read through the settings table, so `DARKROOM_QUEUE` and the default are
/// the ones `serve` uses.
struct QueueOption: ParsableArguments {
    @Option(help: .setting("queue")) var queue: String?

    /// The queue's location: the flag, else `DARKROOM_QUEUE`, else the default.
    var location: String {
        get throws { try ValidationError.wrapping { () throws(ConfigurationError) in try DarkroomConfiguration.value(of: "queue", flag: queue) } }
    }

    func validate() throws {
        _ = try location
    }

    /// Runs `body` with the opened queue; a job that is not there is a usage error.
    func with<T: Sendable>(connections: Int = 8, _ body: @escaping @Sendable (any JobScheduling) async throws -> T) async throws -> T {
        try await QueueOpener.withQueue(try location, connections: connections, logger: Logger(label: "darkroom.queue")) { queue in
            do { return try await body(queue) } catch let error as JobQueueError {
                if case .notFound = error { throw ValidationError(error.description) }
                throw error
            }
        }
    }
}

extension ValidationError {
    /// Runs `body`, turning a bad setting into a usage error (exit 2) that names it.
    static func wrapping<T>(_ body: () throws(ConfigurationError) -> T) throws -> T {
        do { return try body() } catch { throw ValidationError(error.description) }
    }
}
