import HTTPTypes
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps asking a process's dependencies whether they answer, so that `/ready` can say at once,
/// without waiting on any of them, whether this node should get traffic.
///
/// A load balancer or Kubernetes reads `/ready`: it is false until every check has passed once,
/// false within `interval + timeout` of a dependency going quiet, and true again at the first
/// check after it returns. Start-up uses the same checks through ``waitUntilReady(within:)``,
/// so a misconfigured node exits with one clear error instead of retrying without a word.
public final class ReadinessMonitor: Service, Sendable {
    /// What the last round of checks found.
    public struct Status: Sendable, Equatable {
        /// The failing checks by name, with what each failure said.
        public var failing: [String: String]
        /// False until a round of checks has finished.
        public var checked: Bool

        /// True when a round finished and nothing failed.
        public var isReady: Bool { checked && failing.isEmpty }
    }

    let checks: [ReadinessCheck]
    let interval: Duration
    let timeout: Duration
    let logger: Logger
    private let state = Mutex(Status(failing: [:], checked: false))

    /// A monitor of `checks`, asked every `interval`, each given `timeout` to answer; a
    /// dependency that stops or starts answering is logged to `logger`, with what it said.
    public init(checks: [ReadinessCheck], interval: Duration = .seconds(1), timeout: Duration = .seconds(2),
                logger: Logger = Logger(label: "darkroom.readiness")) {
        self.checks = checks
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// What the last round found; never waits.
    public var status: Status { state.withLock { $0 } }

    /// Runs every check at once, each bounded by the timeout, records the result and returns it.
    @discardableResult
    public func checkNow() async -> Status {
        let timeout = timeout
        let failing = await withTaskGroup(of: (String, String?).self) { group in
            for check in checks {
                group.addTask {
                    do {
                        try await withTimeout(timeout) { try await check.probe() }
                        return (check.name, nil)
                    } catch let error as ServiceError where error.status == 504 {
                        return (check.name, "\(check.location) did not answer within \(timeout)")
                    } catch {
                        return (check.name, "\(check.location): \(error)")
                    }
                }
            }
            var failing: [String: String] = [:]
            for await (name, failure) in group {
                if let failure { failing[name] = failure }
            }
            return failing
        }
        let status = Status(failing: failing, checked: true)
        let before = state.withLock { previous in
            defer { previous = status }
            return previous
        }
        // Transitions only: an outage is two lines in the log, not one a second.
        for (name, failure) in failing.sorted(by: { $0.key < $1.key }) where before.failing[name] == nil {
            logger.warning("dependency not answering", metadata: ["dependency": "\(name)", "error": "\(failure)"])
        }
        for name in before.failing.keys.sorted() where failing[name] == nil {
            logger.notice("dependency answering again", metadata: ["dependency": "\(name)"])
        }
        return status
    }

    /// Checks until everything answers, for at most `limit`.
    ///
    /// - Throws: ``ReadinessError`` naming what still failed when the time ran out.
    public func waitUntilReady(within limit: Duration) async throws(ReadinessError) {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            let status = await checkNow()
            if status.isReady { return }
            if clock.now + interval >= deadline || Task.isCancelled {
                throw ReadinessError(failing: status.failing, waited: limit)
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Checks every `interval` until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await checkNow()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}

/// The dependencies that did not answer while a process was starting.
public struct ReadinessError: Error, CustomStringConvertible {
    /// The failing checks by name, with what each failure said.
    public let failing: [String: String]
    /// How long the process waited for them.
    public let waited: Duration

    /// The error for `failing` after waiting `waited`.
    public init(failing: [String: String], waited: Duration) {
        self.failing = failing
        self.waited = waited
    }

    public var description: String {
        let reasons = failing.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
        return "not starting: no answer within \(waited) from \(reasons)"
    }
}
