import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import Synchronization

/// One structured log line per request, with an id that is also sent back in `X-Request-ID`
/// and set on the request context's logger (`request_id`); counts requests by status and
/// records their duration.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics
    let logger: Logger
    private let inFlight = InFlightCounter()

    /// Creates the middleware.
    public init(metrics: ServiceMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-ID")! }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let incoming = request.headers[Self.requestIDHeader]
        let id = incoming.flatMap { $0.count <= 64 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } ? $0 : nil }
            ?? UUID().uuidString.lowercased()
        metrics.requestsInFlight(inFlight.add(1))
        defer { metrics.requestsInFlight(inFlight.add(-1)) }
        // Everything the request logs carries its id: handlers log through this context's logger.
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ServiceError.from(error).response
        }
        response.headers[Self.requestIDHeader] = id
        let duration = ContinuousClock.now - start
        let status = Int(response.status.code)
        metrics.request(status: status, duration: duration)
        logger.info("request", metadata: [
            "request_id": "\(id)", "method": "\(request.method)", "path": "\(request.uri.path)",
            "status": "\(status)", "duration_ms": "\(String(format: "%.1f", duration.seconds * 1000))",
        ])
        return response
    }
}

/// The number of requests being answered, shared by every copy of the middleware.
final class InFlightCounter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ delta: Int) -> Int { value.add(delta, ordering: .relaxed).newValue }
}
