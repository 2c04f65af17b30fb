public import Foundation

/// Runs the jobs of one queue for a ``JobWorker``.
///
/// Return the result to store with the completed job. Throw ``JobFailure/permanent(_:)`` when
/// another attempt cannot help (the job goes to the dead letters at once); any other error is
/// retried with back-off. Handlers must be idempotent: delivery is at least once.
public protocol JobHandler: Sendable {
    /// Runs `job`. Cancellation means the worker is stopping and will hand the job back.
    func handle(_ job: Job) async throws -> Data?

    /// Runs `job`, leaving reports about it in `progress` as it goes (the worker stores them
    /// with the job). By default, ``handle(_:)``: only long-running jobs report.
    func handle(_ job: Job, progress: JobProgress) async throws -> Data?
}

extension JobHandler {
    public func handle(_ job: Job, progress: JobProgress) async throws -> Data? {
        try await handle(job)
    }
}

/// A failure a handler reports on purpose.
public enum JobFailure: Error, Sendable, CustomStringConvertible {
    /// Retrying cannot help (an undecodable image, a missing source).
    case permanent(String)
    /// Something the job needs (the object store) did not answer: the job is not at fault, so it
    /// goes back to the queue after a pause without spending an attempt, however long the outage.
    case unavailable(String)

    public var description: String {
        switch self {
        case let .permanent(message): message
        case let .unavailable(message): message
        }
    }
}
