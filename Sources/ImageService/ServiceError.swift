import Foundation
import Hummingbird
import ImageModel
import ImageProcessing
import ImageSources
import Inference
import JobQueue
import ObjectStorage
import Similarity

/// An error answer: a status and a short JSON body `{"error": …, "detail": …}`.
///
/// Every failure of a request becomes one of these; bad input never becomes a 500. It is an
/// `HTTPResponseError`, so a route may throw it and Hummingbird writes the same answer.
struct ServiceError: HTTPResponseError {
    /// The HTTP status code.
    let code: Int
    let error: String
    let detail: String
    var retryAfter: Int?

    /// The JSON body.
    private struct Body: Encodable {
        let error: String
        let detail: String
    }

    init(status: Int, error: String, detail: String, retryAfter: Int? = nil) {
        self.code = status
        self.error = error
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// Maps any error from the layers below to its status.
    static func from(_ error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError: return error
        case let error as RecipeError: return ServiceError(status: 400, error: "invalid request", detail: error.description)
        case let error as SourceError:
            switch error {
            case .invalid: return ServiceError(status: 400, error: "invalid source", detail: error.description)
            case .forbidden: return ServiceError(status: 403, error: "forbidden", detail: error.description)
            case .notFound: return ServiceError(status: 404, error: "not found", detail: error.description)
            case .tooLarge: return ServiceError(status: 413, error: "too large", detail: error.description)
            case .unreachable: return ServiceError(status: 502, error: "source unreachable", detail: error.description)
            }
        case let error as ProcessingError:
            switch error {
            case .invalidRecipe: return ServiceError(status: 400, error: "invalid request", detail: error.description)
            case .limitExceeded: return ServiceError(status: 413, error: "too large", detail: error.description)
            case .unsupportedFormat: return ServiceError(status: 415, error: "unsupported type", detail: error.description)
            case .undecodable, .encodeFailed:
                return ServiceError(status: 422, error: "undecodable image", detail: error.description)
            case .missingWatermark: return ServiceError(status: 400, error: "invalid request", detail: error.description)
            case .detectorUnavailable:
                return ServiceError(status: 422, error: "detection unavailable", detail: error.description)
            case .detectionFailed: return ServiceError(status: 500, error: "detection failed", detail: error.description)
            case .sourceUnreadable: return ServiceError(status: 404, error: "not found", detail: error.description)
            case .overloaded:
                return ServiceError(status: 429, error: "overloaded", detail: error.description, retryAfter: 1)
            case .shuttingDown:
                return ServiceError(status: 503, error: "unavailable", detail: error.description, retryAfter: 1)
            case .cancelled: return ServiceError(status: 503, error: "cancelled", detail: error.description)
            }
        case let error as IIIFError:
            return ServiceError(status: error.status, error: error.status == 501 ? "not implemented" : "invalid request",
                                detail: error.description)
        case let error as JobQueueError:
            switch error {
            case .notFound: return ServiceError(status: 404, error: "not found", detail: error.description)
            default: return ServiceError(status: 503, error: "queue unavailable", detail: error.description, retryAfter: 1)
            }
        case let error as ObjectStoreError:
            if case .full = error {
                return ServiceError(status: 507, error: "insufficient storage", detail: error.description, retryAfter: 30)
            }
            return ServiceError(status: 503, error: "storage unavailable", detail: error.description, retryAfter: 1)
        case let error as SimilarityError:
            switch error {
            case .invalid: return ServiceError(status: 400, error: "invalid request", detail: error.description)
            case .storage: return ServiceError(status: 503, error: "index unavailable", detail: error.description, retryAfter: 1)
            case .busy: return ServiceError(status: 503, error: "overloaded", detail: error.description, retryAfter: 1)
            case .invalidConfiguration: return ServiceError(status: 500, error: "internal error", detail: error.description)
            }
        case let error as InferenceError:
            switch error {
            case .timedOut: return ServiceError(status: 504, error: "timeout", detail: error.description)
            case .unusableImage: return ServiceError(status: 422, error: "unusable image", detail: error.description)
            case .unknownModel: return ServiceError(status: 404, error: "not found", detail: error.description)
            case .inferenceFailed, .invalidSpec, .invalidModel:
                return ServiceError(status: 500, error: "inference failed", detail: error.description)
            }
        case is CancellationError: return ServiceError(status: 503, error: "cancelled", detail: "the request was cancelled")
        case let error as HTTPError:
            return ServiceError(status: Int(error.status.code), error: error.status.reasonPhrase, detail: error.body ?? "")
        default: return ServiceError(status: 500, error: "internal error", detail: String(describing: error))
        }
    }

    var status: HTTPResponse.Status { .init(code: code) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The JSON response.
    var response: Response {
        let body = (try? Self.encoder.encode(Body(error: error, detail: detail))) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
