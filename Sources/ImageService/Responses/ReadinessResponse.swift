/// `/ready`'s answer: `ready`, `saturated` (the pixel queue is full), `starting` (no round of
/// checks has finished) or `unavailable`, with the names of the dependencies that did not answer.
///
/// Only their names: `/ready` answers anyone who can reach the port, and where the database and
/// the store are, and what they said, is for the log (``ReadinessMonitor`` writes it there).
public struct ReadinessResponse: Codable, Sendable, Equatable {
    public let status: String
    /// The dependencies that did not answer (`queue`, `storage`), sorted.
    public let failing: [String]

    /// An answer saying `status`.
    public init(status: String, failing: [String]) {
        self.status = status
        self.failing = failing
    }
}

extension ReadinessResponse {
    /// What `/ready` says of a monitor's last round: `ready`, `starting` or `unavailable`.
    public init(_ checks: ReadinessMonitor.Status) {
        self.init(status: checks.isReady ? "ready" : checks.checked ? "unavailable" : "starting",
                  failing: checks.failing.keys.sorted())
    }
}
