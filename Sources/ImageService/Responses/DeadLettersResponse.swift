import Pipelines

/// A queue's dead letters, oldest first, as `GET /v1/dead-letters` writes them.
struct DeadLettersResponse: Encodable, Sendable {
    let queue: String
    let jobs: [JobView]
}
