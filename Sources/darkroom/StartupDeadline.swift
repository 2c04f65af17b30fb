import ImageService

/// Bounds what a starting process waits for: a database that never answers must end the start
/// with one clear error, not leave it retrying without a word (a crash loop nobody can read).
enum StartupDeadline {
    /// Runs `body`, failing with a ``ReadinessError`` naming `name` at `location` when it takes
    /// longer than `limit`; `body` is cancelled then.
    static func run<T: Sendable>(_ name: String, at location: String, within limit: Duration,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ReadinessError(failing: [name: "\(location) did not answer"], waited: limit)
            }
            return value
        }
    }
}
