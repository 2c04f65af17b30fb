public import Foundation
public import JobQueue

/// The payload of a job in the `streams` queue: a live stream, read for as long as the job
/// lives, each sampled frame run through a pipeline's `motion:` step.
///
/// A stream job never completes: it holds a worker slot until it is removed (cancelled). When
/// its worker dies, the job goes back to the queue like any other and another worker takes it.
public struct StreamJob: Sendable, Codable, Equatable {
    /// The queue stream jobs go to.
    public static let queue = "streams"
    /// Attempts before a stream is given up: each worker that dies holding it spends one, and a
    /// stream outlives many workers (a camera that drops does not spend any: it reconnects).
    public static let maxAttempts = 1000

    /// The stream's URL (`rtsp://`, `udp://`, `http(s)://` with MPEG-TS).
    public let url: String
    /// The pipeline whose `motion:` step and `on_event:` webhook it runs.
    public let pipeline: String
    /// A name for people (`darkroom streams list`); the URL when not given.
    public let name: String

    /// The longest URL and name accepted.
    public static let maxURLLength = 4096
    public static let maxNameLength = 200

    /// Describes a stream.
    public init(url: String, pipeline: String, name: String? = nil) {
        self.url = url
        self.pipeline = pipeline
        self.name = name.flatMap { $0.isEmpty ? nil : $0 } ?? url
    }

    /// The JSON payload.
    public func encoded() -> Data {
        try! WireFormat.encoder().encode(self)
    }

    /// Reads a payload. - Throws: ``PipelineError/invalidPayload(_:)``.
    public init(payload: Data) throws(PipelineError) {
        do { self = try JSONDecoder().decode(StreamJob.self, from: payload) }
        catch { throw .invalidPayload("expected {url, pipeline, name}: \(error)") }
    }

    /// The job that runs this stream with `pipeline`: its resources and kind are the
    /// pipeline's; no idempotency key, so one camera may feed two pipelines.
    public func job(pipeline: Pipeline) -> NewJob {
        NewJob(queue: Self.queue, payload: encoded(), maxAttempts: Self.maxAttempts, resources: pipeline.resources,
               kind: "stream:\(pipeline.name)", affinityKey: url)
    }
}

extension StreamJob {
    /// The URL without its user name and password, for lists, logs and events: a camera's
    /// credentials stay in the job's payload.
    public var displayURL: String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }
}
