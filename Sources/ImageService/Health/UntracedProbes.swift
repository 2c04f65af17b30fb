import Hummingbird

/// Hummingbird's `TracingMiddleware`, except for the health, readiness and metrics routes:
/// probes every second from each load balancer and scraper would otherwise bury the traces
/// people look for.
struct UntracedProbes<Context: RequestContext>: RouterMiddleware {
    let tracing = TracingMiddleware<Context>()
    static var untraced: Set<String> { ["/health", "/ready", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.untraced.contains(request.uri.path) { return try await next(request, context) }
        return try await tracing.handle(request, context: context, next: next)
    }
}
