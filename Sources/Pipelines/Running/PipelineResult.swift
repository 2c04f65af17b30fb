public import Foundation
public import ImageAnalysis

/// What a pipeline job produced: stored with the completed job and sent to its webhook.
public struct PipelineResult: Sendable, Codable, Equatable {
    /// One stored derivative.
    public struct Output: Sendable, Codable, Equatable {
        public let name: String
        public let key: String
        public let format: String
        public let bytes: Int
        public let width: Int
        public let height: Int
    }

    public let pipeline: String
    /// The version that ran (it may be newer than the one queued).
    public let version: String
    public let source: String
    /// The first 32 hex digits of the source's SHA-256.
    public let imageID: String
    public let features: ImageFeatures
    public let checks: [CheckOutcome]
    /// The rules of failed `flag` checks.
    public let flags: [String]
    /// Whether a `reject` check failed; then no outputs were made.
    public let rejected: Bool
    public let outputs: [Output]

    enum CodingKeys: String, CodingKey {
        case pipeline, version, source, features, checks, flags, rejected, outputs
        case imageID = "image_id"
    }

    /// The JSON form.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try! encoder.encode(self)
    }
}
