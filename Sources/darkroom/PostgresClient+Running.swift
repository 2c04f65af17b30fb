import PostgresNIO

extension PostgresClient {
    /// Runs `body` while this client's connection pool runs, and stops the pool after.
    func whileRunning<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await self.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
