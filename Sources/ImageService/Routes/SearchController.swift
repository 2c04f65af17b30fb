import Foundation
public import Hummingbird
import ImageAnalysis
public import ImageProcessing
public import ImageSources
public import Similarity
import ImageModel

/// Visual search: `POST /v1/search` (an image body, `{"source": …}` or `{"image_id": …}`) and
/// `GET /v1/images/{id}/duplicates`, both answering `{"matches": [{image_id, key, score, match}]}`.
public struct SearchController: Sendable {
    let index: any SimilarityIndex
    let processor: ImageProcessor
    let sources: SourceRouter?

    /// Creates the controller; without `sources`, searches by `source` are refused.
    public init(index: any SimilarityIndex, processor: ImageProcessor, sources: SourceRouter? = nil) {
        self.index = index
        self.processor = processor
        self.sources = sources
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.post("search") { request, _ in try await self.search(request) }
        group.get("images/:id/duplicates") { request, context in
            let id = try context.parameters.require("id")
            guard let image = try await self.index.image(id: id) else {
                throw ServiceError(status: 404, error: "not found", detail: "no indexed image \(id)")
            }
            let (k, match) = try Self.options(k: request.uri.queryParameters.get("k"), match: request.uri.queryParameters.get("match"))
            let matches = try await self.index.search(SimilarityQuery(signature: image.signature, match: match, limit: k, excluding: id))
            return JSONResponse(SearchResponse(matches: matches))
        }
    }

    private func search(_ request: Request) async throws -> JSONResponse<SearchResponse> {
        let body = try await ImageRequestBody.read(request, maxBytes: processor.limits.maxInputBytes)
        // Parse and check every option before anything is decoded.
        var options = try Self.options(k: request.uri.queryParameters.get("k"), match: request.uri.queryParameters.get("match"))
        let signature: ImageSignature
        var excluding: String?
        switch body {
        case let .json(json):
            let search: SearchRequest
            do { search = try JSONDecoder().decode(SearchRequest.self, from: json) } catch {
                throw ServiceError(status: 400, error: "invalid request", detail: "body: expected JSON {source} or {image_id}, with k and match")
            }
            options = try Self.options(k: search.k.map(String.init) ?? String(options.k), match: search.match ?? options.match.rawValue)
            switch (search.source, search.imageID) {
            case let (source?, nil): signature = try await self.signature(ofSource: source)
            case let (nil, id?):
                guard let image = try await index.image(id: id) else {
                    throw ServiceError(status: 404, error: "not found", detail: "no indexed image \(id)")
                }
                signature = image.signature
                excluding = id
            default: throw ServiceError(status: 400, error: "invalid request", detail: "body: expected exactly one of source and image_id")
            }
        case let .image(image):
            signature = try await SignatureReader(processor: processor).signature(of: .bytes(image))
        }
        let matches = try await index.search(SimilarityQuery(signature: signature, match: options.match, limit: options.k,
                                                             excluding: excluding))
        return JSONResponse(SearchResponse(matches: matches))
    }

    private func signature(ofSource source: String) async throws -> ImageSignature {
        let image = try await ImageRequestBody.fetch(source, from: sources, maxBytes: processor.limits.maxInputBytes)
        return try await SignatureReader(processor: processor).signature(of: image)
    }

    /// `k` (1...1000, default 10) and `match` (exact, near or transformed; default near).
    static func options(k: String?, match: String?) throws -> (k: Int, match: MatchKind) {
        let count = try k.map { text -> Int in
            guard let value = Int(text), (1...1000).contains(value) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "k: expected 1...1000, got '\(text)'")
            }
            return value
        } ?? 10
        let kind = try match.map { text -> MatchKind in
            guard let kind = MatchKind(rawValue: text) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "match: expected exact, near or transformed, got '\(text)'")
            }
            return kind
        } ?? .near
        return (count, kind)
    }
}
