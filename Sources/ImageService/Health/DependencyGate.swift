public import Hummingbird

/// Answers 503 at once, touching neither the database nor the store, while the
/// ``ReadinessMonitor`` says one of them is not answering: a request let through would wait for
/// a connection that is not coming (PostgreSQL's pool queues it until the server returns).
public struct DependencyGate<Context: RequestContext>: RouterMiddleware {
    let readiness: ReadinessMonitor

    /// A gate that follows `readiness`.
    public init(readiness: ReadinessMonitor) {
        self.readiness = readiness
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        let failing = readiness.status.failing
        guard failing.isEmpty else {
            // Names only: the addresses and what they said are in the log, not for clients.
            throw ServiceError(status: 503, error: "unavailable",
                               detail: "not answering: \(failing.keys.sorted().joined(separator: ", "))", retryAfter: 2)
        }
        return try await next(request, context)
    }
}
