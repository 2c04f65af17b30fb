/// `/ready`'s answer: `ready`, `saturated` (the pixel queue is full), `starting` (no round of
/// checks has finished) or `unavailable`, with what failed.
public struct ReadinessResponse: Codable, Sendable, Equatable {
    public let status: String
    /// The dependencies that did not answer, by name, with why.
    public let failing: [String: String]

    /// An answer saying `status`.
    public init(status: String, failing: [String: String]) {
        self.status = status
        self.failing = failing
    }
}

extension ReadinessResponse {
    /// What `/ready` says of a monitor's last round: `ready`, `starting` or `unavailable`.
    public init(_ checks: ReadinessMonitor.Status) {
        self.init(status: checks.isReady ? "ready" : checks.checked ? "unavailable" : "starting", failing: checks.failing)
    }
}
