import Scheduling

/// The body of `POST /v1/jobs`: a pipeline over a list of sources.
struct JobSubmission: Decodable, Sendable {
    let pipeline: String
    let sources: [String]
    let priority: Int?
    let idempotencyKey: String?
    /// Overrides the pipeline's resources for these jobs.
    let resources: ResourceRequest?

    enum CodingKeys: String, CodingKey {
        case pipeline, sources, priority, resources
        case idempotencyKey = "idempotency_key"
    }
}
