import HTTPTypes
public import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`; others get a 401 with
/// the service's JSON error. The routes behind it never see an unauthenticated request.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: String

    /// Creates the middleware for `token`.
    public init(token: String) {
        expected = "Bearer \(token)"
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.matches(request.headers[.authorization], expected) else {
            return ServiceError(status: 401, error: "unauthorized", detail: "expected Authorization: Bearer <api token>").response
        }
        return try await next(request, context)
    }

    /// Compares in time that does not depend on where the strings first differ, so the
    /// token cannot be guessed a byte at a time from response times.
    static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
