import Crypto
public import Foundation
public import ImageAnalysis
public import ImageModel
public import Media
public import JobQueue
public import Scheduling

/// A validated pipeline: what every job of it does to its image, in order.
///
/// 1. `preprocess` decodes the source once into a working image (shrink-on-load when it
///    starts with a resize; auto-orient and sRGB always apply);
/// 2. `features` are measured on that image;
/// 3. `checks` judge the features (`flag` or `reject`), and a `duplicate` check looks the
///    signature up in the similarity index (`flag`, `reject` or `link`);
/// 4. each of `outputs` is rendered from the same working image and stored under its key;
/// 5. `onComplete`, when set, receives the result, signed.
public struct Pipeline: Sendable, Equatable {
    public let name: String
    /// The declared version, or `h` + 12 hex digits of the spec's hash; stored with every job.
    public let version: String
    public let preprocess: Recipe
    /// The features asked for, plus those the checks need.
    public let features: Set<Feature>
    /// The EXIF tags kept by the `exif` feature.
    public let exifTags: [String]
    public let checks: [PipelineCheck]
    /// What to do with a copy of an image already in the similarity index; nil looks for none.
    public let duplicate: DuplicateCheck?
    public let outputs: [PipelineOutput]
    /// De-identified copies of a DICOM source, stored beside the rendered outputs.
    public let dicomCopies: [DICOMCopyOutput]
    /// Storyboards of a video source: sprite sheets and their WebVTT file.
    public let storyboards: [StoryboardOutput]
    public let onComplete: WebhookSpec?
    /// Attempts before a job goes to the dead letters.
    public let maxAttempts: Int
    /// What each job needs from a worker (`resources:`); one CPU slot by default.
    public private(set) var resources: ResourceRequest
    /// The models (by name, from the worker's `--models` folder) run on each image; their
    /// predictions land in the result.
    public let models: [String]
    /// Checks on the models' labels.
    public let labelChecks: [LabelCheck]
    /// The comparison with a golden reference, if any.
    public let inspection: InspectionStep?
    /// Motion detection, for streams that run this pipeline.
    public let motion: MotionStep?
    /// The frames of a video source that the features, checks and models also run on.
    public let frames: FrameSelection?
    /// Private copies of a video source, faces blurred.
    public let videoCopies: [VideoCopyOutput]
    /// Where a stream's events (`motion.started`, `motion.ended`) are posted.
    public let onEvent: WebhookSpec?

    /// Creates a pipeline from values already checked.
    public init(name: String, version: String, preprocess: Recipe, features: Set<Feature>,
                exifTags: [String] = FeatureExtractor.defaultExifTags, checks: [PipelineCheck] = [],
                duplicate: DuplicateCheck? = nil, outputs: [PipelineOutput], onComplete: WebhookSpec? = nil,
                maxAttempts: Int = 5, resources: ResourceRequest = ResourceRequest(), models: [String] = [],
                labelChecks: [LabelCheck] = [], inspection: InspectionStep? = nil, dicomCopies: [DICOMCopyOutput] = [],
                storyboards: [StoryboardOutput] = [], motion: MotionStep? = nil, onEvent: WebhookSpec? = nil,
                frames: FrameSelection? = nil, videoCopies: [VideoCopyOutput] = []) {
        self.frames = frames
        self.videoCopies = videoCopies
        self.motion = motion
        self.onEvent = onEvent
        self.inspection = inspection
        self.dicomCopies = dicomCopies
        self.storyboards = storyboards
        self.resources = resources
        self.models = models
        self.labelChecks = labelChecks
        self.name = name
        self.version = version
        self.preprocess = preprocess
        // The duplicate check looks the signature up, so it is measured whenever the check is there.
        self.features = features.union(checks.map(\.rule.feature)).union(duplicate == nil ? [] : [.signature])
        self.duplicate = duplicate
        self.exifTags = exifTags
        self.checks = checks
        self.outputs = outputs
        self.onComplete = onComplete
        self.maxAttempts = maxAttempts
    }

    /// Reads and validates a spec.
    ///
    /// - Parameters:
    ///   - text: YAML, or JSON (which YAML reads too).
    ///   - file: the name errors use.
    /// - Throws: ``PipelineError/invalidSpec(file:field:expected:)`` naming the first wrong field.
    public init(spec text: String, file: String) throws(PipelineError) {
        let hash = SHA256.hash(data: Data(text.utf8)).prefix(6).hexDigits
        self = try PipelineSpecReader(file: file).read(text, defaultVersion: "h" + hash)
    }

    /// Reads and validates a spec file (`.yaml`, `.yml` or `.json`, at most 1 MiB).
    ///
    /// - Throws: ``PipelineError/invalidSpec(file:field:expected:)``.
    public init(contentsOf url: URL) throws(PipelineError) {
        let file = url.lastPathComponent
        let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        guard size <= 1 << 20 else { throw .invalidSpec(file: file, field: "(file)", expected: "at most 1 MiB") }
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw .invalidSpec(file: file, field: "(file)", expected: "a readable UTF-8 file")
        }
        try self.init(spec: text, file: file)
    }
}

extension Pipeline {
    /// A job of this pipeline on `source`, for `queue`: its resources, attempts and kind come
    /// from the pipeline; the source is the affinity key (the same original, the same worker's
    /// cache); `megapixels`, when known, is its cost.
    public func job(source: String, queue: String = PipelineJob.queue, priority: Int = 0, idempotencyKey: String? = nil,
                    batchID: String? = nil, megapixels: Double? = nil) -> NewJob {
        NewJob(queue: queue, payload: PipelineJob(pipeline: name, version: version, source: source).encoded(),
               priority: priority, maxAttempts: maxAttempts, idempotencyKey: idempotencyKey, batchID: batchID,
               resources: resources, cost: megapixels ?? 1, kind: name, affinityKey: source)
    }
}

extension Pipeline {
    /// Raises the pipeline's resources to cover `other` as well (the larger of each).
    mutating func require(_ other: ResourceRequest) {
        resources = ResourceRequest(cpu: max(resources.cpu, other.cpu), memoryMB: max(resources.memoryMB, other.memoryMB),
                                    gpu: max(resources.gpu, other.gpu), gpuMemoryMB: max(resources.gpuMemoryMB, other.gpuMemoryMB))
    }
}
