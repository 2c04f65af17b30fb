import Foundation
public import Hummingbird
import Pipelines
import NIOFoundationEssentialsCompat

/// A `Codable` answer and its status, written as JSON with sorted keys (stable output that
/// diffs well), the way every JSON route answers.
public struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var contentType: String
    public var headers: HTTPFields
    public let body: Body

    /// An answer of `body` with `status`.
    public init(_ body: Body, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                headers: HTTPFields = [:]) {
        self.body = body
        self.status = status
        self.contentType = contentType
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(data: try WireFormat.encoder().encode(body))))
    }
}
