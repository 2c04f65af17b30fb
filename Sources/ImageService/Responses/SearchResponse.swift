import Similarity

/// The answer to `POST /v1/search` and `GET /v1/images/{id}/duplicates`: the indexed copies,
/// closest first.
struct SearchResponse: Encodable, Sendable {
    let matches: [SimilarityMatch]
}
