/// One dependency a process cannot serve without (the queue's database, the object store),
/// asked whether it answers.
public struct ReadinessCheck: Sendable {
    /// What `/ready` and the start-up error call it: `queue`, `storage`.
    public let name: String
    /// Where it is, as logs may show it (no credentials).
    public let location: String
    /// Throws when the dependency does not answer; it should do the least work that proves it
    /// answers (a one-row lookup, a `HEAD`).
    public let probe: @Sendable () async throws -> Void

    /// A check named `name` of the dependency at `location`.
    public init(name: String, location: String, probe: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.location = location
        self.probe = probe
    }
}
