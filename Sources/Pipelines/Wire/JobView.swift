public import JobQueue
public import Scheduling

/// A job as `GET /v1/jobs/{id}` and `darkroom jobs show` write it: its payload and result are
/// embedded as the JSON they are.
public struct JobView: Sendable, Equatable, Codable {
    public let id: String
    public let queue: String
    public let status: JobStatus
    public let attempts: Int
    public let maxAttempts: Int
    public let priority: Int
    public let createdAt: String
    public let updatedAt: String
    public let runAt: String
    public let batchID: String?
    /// Only when the job asks for more than one CPU slot.
    public let resources: ResourceRequest?
    public let assignedTo: String?
    public let claimedBy: String?
    public let error: String?
    public let payload: JSONValue?
    public let result: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, queue, status, attempts, priority, resources, error, payload, result
        case maxAttempts = "max_attempts", createdAt = "created_at", updatedAt = "updated_at", runAt = "run_at"
        case batchID = "batch_id", assignedTo = "assigned_to", claimedBy = "claimed_by"
    }

    /// The view of `job`.
    public init(_ job: Job) {
        id = job.id
        queue = job.queue
        status = job.status
        attempts = job.attempts
        maxAttempts = job.maxAttempts
        priority = job.priority
        createdAt = WireFormat.timestamp(job.createdAt)
        updatedAt = WireFormat.timestamp(job.updatedAt)
        runAt = WireFormat.timestamp(job.runAt)
        batchID = job.batchID
        resources = job.resources == ResourceRequest() ? nil : job.resources
        assignedTo = job.assignedTo
        claimedBy = job.claimedBy
        error = job.lastError
        // A stream's URL may carry a camera's credentials: shown without them, as everywhere.
        if job.queue == StreamJob.queue, let stream = try? StreamJob(payload: job.payload) {
            payload = JSONValue(json: StreamJob(url: stream.displayURL, pipeline: stream.pipeline, name: stream.name).encoded())
        } else {
            payload = JSONValue(json: job.payload)
        }
        result = job.result.flatMap(JSONValue.init(json:))
    }
}
