/// The answer to `POST /v1/images`: the stored original and the jobs its upload started.
struct UploadResponse: Encodable, Sendable {
    /// One upload pipeline's job.
    struct UploadJob: Encodable, Sendable {
        let id: String
        let pipeline: String
        let status: String
    }

    let imageID: String
    let key: String
    let width: Int
    let height: Int
    let format: String
    let batchID: String
    let jobs: [UploadJob]

    enum CodingKeys: String, CodingKey {
        case key, width, height, format, jobs
        case imageID = "image_id", batchID = "batch_id"
    }
}
