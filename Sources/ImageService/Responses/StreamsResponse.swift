import Pipelines

/// `GET /v1/streams`: every stream not removed, newest first.
struct StreamsResponse: Codable, Sendable {
    let streams: [StreamView]
}
