public import Foundation

/// The payload of a job in the `pipelines` queue: which pipeline runs on which source.
public struct PipelineJob: Sendable, Codable, Equatable {
    /// The queue batch pipeline jobs go to (`POST /v1/jobs`, `darkroom submit`).
    public static let queue = "pipelines"
    /// The queue upload pipelines go to (`POST /v1/images`): weighted above batches, so a large
    /// batch cannot starve uploads.
    public static let uploadQueue = "uploads"
    /// Every queue pipeline jobs use.
    public static let queues = [uploadQueue, queue]

    public let pipeline: String
    /// The pipeline's version when the job was queued.
    public let version: String
    /// An object-store key, a `local:///` path under the worker's local root, or an allowed URL.
    public let source: String

    /// Describes a job.
    public init(pipeline: String, version: String, source: String) {
        self.pipeline = pipeline
        self.version = version
        self.source = source
    }

    /// The JSON payload.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try! encoder.encode(self)
    }

    /// Reads a payload. - Throws: ``PipelineError/invalidPayload(_:)``.
    public init(payload: Data) throws(PipelineError) {
        do { self = try JSONDecoder().decode(PipelineJob.self, from: payload) }
        catch { throw .invalidPayload("expected {pipeline, version, source}: \(error)") }
    }
}
