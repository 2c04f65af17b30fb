public import Logging
public import NIOCore
public import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows, failing at once on a connection that has closed.
    ///
    /// PostgresNIO (1.33) writes a query to its channel without a write promise. Once a closed
    /// channel's handlers are gone, such a write is dropped and its query never answers, nor
    /// can it be cancelled: after a database restart, a query on a connection that died just
    /// before (a pooled one, or one held across statements such as the scheduler's lock) would
    /// wait for ever. So the check and the write happen together on the connection's event
    /// loop, where the channel closes and its handlers go: a channel open at the check still
    /// has the handler that answers the query, with an error if it closes later.
    ///
    /// The rows are collected (every caller reads them all); the result is an `AsyncSequence`
    /// of rows, so PostgresNIO's `decode(_:)` reads it as it reads a streamed one.
    @discardableResult
    public func liveQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line)
        async throws -> LiveRows {
        let result = try await eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !self.isClosed else { return self.eventLoop.makeFailedFuture(PostgresConnectionClosed()) }
            return self.query(query, logger: logger, file: file, line: line)
        }.get()
        return LiveRows(rows: result.rows)
    }
}

/// The rows of a ``PostgresNIO/PostgresConnection/liveQuery(_:logger:file:line:)``, read all.
public struct LiveRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow
    /// Every row, in the order the server sent them.
    public let rows: [PostgresRow]

    /// Walks the rows.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async -> PostgresRow? { base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }
}

/// A query was not sent because its connection had already closed (the database went away).
public struct PostgresConnectionClosed: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "the database connection had closed" }
}

extension PostgresClient {
    /// Runs `body` in a transaction on a pooled connection, like `withTransaction(logger:_:)`
    /// but with every statement, `BEGIN` and `COMMIT` included, sent by ``PostgresNIO/PostgresConnection/liveQuery(_:logger:file:line:)``.
    /// The body's own error is rethrown as it is (after a rollback, if the connection still
    /// lives); a failed `BEGIN` or `COMMIT` throws the driver's error.
    public func withLiveTransaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> Result)
        async throws -> Result {
        try await withConnection { connection in
            try await connection.liveQuery("BEGIN;", logger: logger)
            let value: Result
            do {
                value = try await body(connection)
            } catch {
                // A closed connection rolls back on the server by itself.
                _ = try? await connection.liveQuery("ROLLBACK;", logger: logger)
                throw error
            }
            try await connection.liveQuery("COMMIT;", logger: logger)
            return value
        }
    }
}
