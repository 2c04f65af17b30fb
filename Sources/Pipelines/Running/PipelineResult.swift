public import Foundation
public import ImageAnalysis
public import Inference
public import Similarity

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
    /// Whether a `reject` check failed (or a `duplicate` check with `reject` found a copy);
    /// then no outputs were made.
    public let rejected: Bool
    public let outputs: [Output]
    /// The copies the `duplicate` check found in the similarity index, closest first.
    public let duplicates: [SimilarityMatch]?
    /// With `duplicate: {action: link}`, the id of the closest copy found.
    public let duplicateOf: String?
    /// What the pipeline's models said, one prediction per model.
    public let predictions: [Prediction]?
    /// With a `frames:` step, what each sampled frame of a video showed, in time order.
    public let frames: [FrameResult]?

    /// One sampled frame's features, checks and predictions.
    public struct FrameResult: Sendable, Codable, Equatable {
        /// Its time in the video, in seconds.
        public let seconds: Double
        public let features: ImageFeatures
        public let checks: [CheckOutcome]
        public let predictions: [Prediction]?
    }

    /// A result.
    public init(pipeline: String, version: String, source: String, imageID: String, features: ImageFeatures,
                checks: [CheckOutcome], flags: [String], rejected: Bool, outputs: [Output],
                duplicates: [SimilarityMatch]? = nil, duplicateOf: String? = nil, predictions: [Prediction]? = nil,
                frames: [FrameResult]? = nil) {
        self.frames = frames
        self.pipeline = pipeline
        self.version = version
        self.source = source
        self.imageID = imageID
        self.features = features
        self.checks = checks
        self.flags = flags
        self.rejected = rejected
        self.outputs = outputs
        self.duplicates = duplicates
        self.duplicateOf = duplicateOf
        self.predictions = predictions
    }

    enum CodingKeys: String, CodingKey {
        case pipeline, version, source, features, checks, flags, rejected, outputs, duplicates, predictions, frames
        case imageID = "image_id", duplicateOf = "duplicate_of"
    }

    /// The JSON form.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try! encoder.encode(self)
    }
}
