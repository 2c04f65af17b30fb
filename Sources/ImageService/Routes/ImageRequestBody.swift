import Foundation
import Hummingbird
import ImageProcessing
import ImageSources
import NIOFoundationEssentialsCompat

/// The body of a request that brings an image: JSON naming where the image is (`{"source": …}`,
/// `{"image_id": …}`), or the image itself, raw or as a multipart file part. Read within
/// `max-src-bytes`: an image past it is refused (413) before anything is decoded.
enum ImageRequestBody {
    case json(Data)
    case image(Data)

    /// Reads `request`'s body.
    /// - Throws: ``ServiceError`` 413 past `maxBytes`, 400 for an empty body or a multipart
    ///   body without a file.
    static func read(_ request: Request, maxBytes: Int) async throws -> ImageRequestBody {
        let body = try await collect(request, maxBytes: maxBytes)
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("application/json") { return .json(body) }
        return .image(try image(in: body, contentType: type, maxBytes: maxBytes))
    }

    /// Reads `request`'s body as an image, whatever its content type says: what an upload brings.
    /// - Throws: as ``read(_:maxBytes:)``.
    static func readImage(_ request: Request, maxBytes: Int) async throws -> Data {
        try image(in: try await collect(request, maxBytes: maxBytes), contentType: request.headers[.contentType] ?? "",
                  maxBytes: maxBytes)
    }

    private static func collect(_ request: Request, maxBytes: Int) async throws -> Data {
        do {
            // Multipart adds headers and boundaries around the file: allow a little more.
            return Data(buffer: try await request.body.collect(upTo: maxBytes + 64 << 10))
        } catch {
            throw ServiceError(status: 413, error: "too large", detail: "the body is over max-src-bytes (\(maxBytes))")
        }
    }

    /// The image in `body`: the body itself, or its first file part when it is multipart.
    private static func image(in body: Data, contentType: String, maxBytes: Int) throws -> Data {
        var image = body
        if let boundary = MultipartFile.boundary(contentType: contentType) {
            guard let file = MultipartFile.first(in: body, boundary: boundary) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "body: expected multipart/form-data with a file part")
            }
            image = file.data
        }
        guard !image.isEmpty else { throw ServiceError(status: 400, error: "invalid request", detail: "body: expected an image") }
        guard image.count <= maxBytes else {
            throw ServiceError(status: 413, error: "too large", detail: "the image has \(image.count) bytes; max-src-bytes is \(maxBytes)")
        }
        return image
    }

    /// The image `source` names, fetched through `sources` within `maxBytes`.
    /// - Throws: ``ServiceError`` 400 when this server fetches no sources; the fetch's errors.
    static func fetch(_ source: String, from sources: SourceRouter?, maxBytes: Int) async throws -> ImageSource {
        guard let sources else { throw ServiceError(status: 400, error: "invalid request", detail: "source: this server fetches no sources") }
        return try await sources.fetch(source, maxBytes: maxBytes).content()
    }
}
