public import Foundation
public import JobQueue

/// A stream as `GET /v1/streams` and `darkroom streams list --json` show it: the job's place
/// in the queue and what the stream last reported.
public struct StreamView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    /// The URL without credentials.
    public let url: String
    public let pipeline: String
    /// The job's status: `queued` (waiting for a worker), `running`, `dead` (refused for good),
    /// `cancelled` (removed).
    public let status: String
    /// The worker reading it, while running.
    public let worker: String?
    public let attempts: Int
    /// The job's last error (a refused URL, a worker that died holding it).
    public let error: String?
    /// What the stream last reported; nil before its first report.
    public let report: StreamStatus?

    /// The view of a stream job; nil for a job that is not one.
    public init?(_ job: Job) {
        guard let stream = try? StreamJob(payload: job.payload) else { return nil }
        id = job.id
        name = stream.name == stream.url ? stream.displayURL : stream.name
        url = stream.displayURL
        pipeline = stream.pipeline
        status = job.status.rawValue
        worker = job.status == .running ? job.claimedBy : nil
        attempts = job.attempts
        error = job.lastError
        report = StreamStatus(stored: job.result)
    }
}

extension StreamView {
    /// The streams in `queue`, newest first, at most `limit`: those not removed, and with
    /// `includingRemoved` the removed (cancelled) ones too. Read status by status, so that a
    /// long history of removed streams never pushes a live one out of the list.
    public static func list(in queue: any JobQueue, includingRemoved: Bool = false,
                            limit: Int = 1000) async throws(JobQueueError) -> [StreamView] {
        var jobs: [Job] = []
        for status in JobStatus.allCases where includingRemoved || status != .cancelled {
            jobs += try await queue.list(queue: StreamJob.queue, status: status, limit: limit)
        }
        return jobs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.prefix(limit).compactMap(StreamView.init)
    }
}
