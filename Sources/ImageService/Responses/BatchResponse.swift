import JobQueue
import Pipelines

/// A batch's progress, as `GET /v1/batches/{id}` writes it.
struct BatchResponse: Encodable, Sendable {
    let batchID: String
    let total: Int
    let finished: Int
    let done: Bool
    /// Every status, zero included.
    let counts: [String: Int]
    /// From the pace so far; null until it can be told.
    let etaSeconds: Nullable<Double>

    enum CodingKeys: String, CodingKey {
        case total, finished, done, counts
        case batchID = "batch_id", etaSeconds = "eta_seconds"
    }

    init(id: String, progress: BatchProgress) {
        batchID = id
        total = progress.total
        finished = progress.finished
        done = progress.isDone
        counts = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0.rawValue, progress.counts[$0] ?? 0) })
        etaSeconds = Nullable(progress.estimatedSecondsLeft.map { ($0 * 10).rounded() / 10 })
    }
}
