/// The answer to `POST /v1/jobs`: the batch and its jobs, in source order.
struct SubmitResponse: Encodable, Sendable {
    let batchID: String
    let jobIDs: [String]

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", jobIDs = "job_ids"
    }
}
