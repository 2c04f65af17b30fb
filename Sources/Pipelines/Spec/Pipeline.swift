import Crypto
import Foundation
import ImageAnalysis
import ImageModel

/// A validated pipeline: what every job of it does to its image, in order.
///
/// 1. `preprocess` decodes the source once into a working image (shrink-on-load when it
///    starts with a resize; auto-orient and sRGB always apply);
/// 2. `features` are measured on that image;
/// 3. `checks` judge the features (`flag` or `reject`);
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
    public let outputs: [PipelineOutput]
    public let onComplete: WebhookSpec?
    /// Attempts before a job goes to the dead letters.
    public let maxAttempts: Int

    /// Creates a pipeline from values already checked.
    public init(name: String, version: String, preprocess: Recipe, features: Set<Feature>,
                exifTags: [String] = FeatureExtractor.defaultExifTags, checks: [PipelineCheck] = [],
                outputs: [PipelineOutput], onComplete: WebhookSpec? = nil, maxAttempts: Int = 5) {
        self.name = name
        self.version = version
        self.preprocess = preprocess
        self.features = features.union(checks.map(\.rule.feature))
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
        let hash = SHA256.hash(data: Data(text.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
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
