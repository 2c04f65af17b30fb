import Crypto
import Foundation

/// What to do to an image: an ordered list of operations plus how to encode the result.
///
/// A recipe is an immutable value. It comes from imgproxy's URL grammar
/// (``init(parsing:)``), from its own canonical string (``init(canonical:)``) or from JSON,
/// and it is validated on the way in. Its ``canonical`` string is unique, and its
/// ``cacheKey`` is a SHA-256 of that string: the same on every run and every machine.
public struct Recipe: Hashable, Sendable, Codable {
    /// The operations, run exactly in this order.
    public let operations: [Operation]
    /// How the result is encoded.
    public let output: OutputSpec
    /// Whether the EXIF orientation is applied first. On by default.
    public let autoRotate: Bool
    /// imgproxy's `cachebuster`: changes the cache key without changing the image.
    public let cacheBuster: String?
    /// Which frame of a multi-frame source (DICOM) to render, from 0 (`frame:N`).
    public let frame: Int
    /// How a DICOM source's values become grey levels (`dicom_window`).
    public let window: DICOMWindow
    /// The second of a video source whose frame is the image (`video_thumbnail_second`, `vts`).
    public let videoSecond: Double

    /// Creates and validates a recipe.
    ///
    /// - Throws: ``RecipeError`` naming the first operation whose values are out of range.
    public init(operations: [Operation] = [], output: OutputSpec = OutputSpec(), autoRotate: Bool = true,
                cacheBuster: String? = nil, frame: Int = 0, window: DICOMWindow = .file, videoSecond: Double = 0) throws(RecipeError) {
        self.init(unchecked: operations, output: output, autoRotate: autoRotate, cacheBuster: cacheBuster, frame: frame,
                  window: window, videoSecond: videoSecond)
        try RecipeValidator.validate(self)
    }

    /// Parses imgproxy's processing options, such as `rs:fill:800:600/q:80/f:webp`.
    ///
    /// As in imgproxy, the options form a set: they are applied in imgproxy's pipeline order
    /// (trim, crop, resize, rotate, flip, filters, padding, background, watermark), whatever
    /// their order in the string, and a repeated option overrides the earlier one.
    /// - Throws: ``RecipeError`` naming the option that is unknown, has the wrong number of
    ///   arguments, or has a value out of range.
    /// - Parameter presets: named option strings that `pr:name` (or `preset:name`) expands to,
    ///   in place; a preset named `default` applies to every URL first.
    public init(parsing options: String, presets: [String: String] = [:]) throws(RecipeError) {
        self = try RecipeParser.parse(options, order: .pipeline, presets: presets)
    }

    /// Parses a canonical recipe string (see ``canonical``), whose options run in the order written.
    ///
    /// - Throws: ``RecipeError`` as for ``init(parsing:)``.
    public init(canonical: String) throws(RecipeError) {
        self = try RecipeParser.parse(canonical, order: .asWritten)
    }

    /// The one string form of this recipe: operations in order, then `ar:0` when
    /// auto-rotation is off, then the output options that differ from their defaults.
    public var canonical: String { RecipeFormatter.format(self) }

    /// A stable hash of the canonical form, as 64 hex digits.
    public var cacheKey: String {
        let digest = SHA256.hash(data: Data(("darkroom-recipe-v1\n" + canonical).utf8))
        return digest.hexDigits
    }

    /// The first resize, when it is the first operation: the processor can then shrink while loading.
    public var leadingResize: Operation? {
        if let first = operations.first, case .resize = first { return first }
        return nil
    }

    /// The same recipe with another output spec (the HTTP service fills in a negotiated format).
    public func with(output: OutputSpec) throws(RecipeError) -> Recipe {
        try Recipe(operations: operations, output: output, autoRotate: autoRotate, cacheBuster: cacheBuster, frame: frame,
                   window: window, videoSecond: videoSecond)
    }

    private enum CodingKeys: String, CodingKey {
        case operations, output, autoRotate, cacheBuster, frame, window, videoSecond
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            operations: container.decodeIfPresent([Operation].self, forKey: .operations) ?? [],
            output: container.decodeIfPresent(OutputSpec.self, forKey: .output) ?? OutputSpec(),
            autoRotate: container.decodeIfPresent(Bool.self, forKey: .autoRotate) ?? true,
            cacheBuster: container.decodeIfPresent(String.self, forKey: .cacheBuster),
            frame: container.decodeIfPresent(Int.self, forKey: .frame) ?? 0,
            window: container.decodeIfPresent(DICOMWindow.self, forKey: .window) ?? .file,
            videoSecond: container.decodeIfPresent(Double.self, forKey: .videoSecond) ?? 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(operations, forKey: .operations)
        try container.encode(output, forKey: .output)
        try container.encode(autoRotate, forKey: .autoRotate)
        try container.encodeIfPresent(cacheBuster, forKey: .cacheBuster)
        if frame != 0 { try container.encode(frame, forKey: .frame) }
        if window != .file { try container.encode(window, forKey: .window) }
        if videoSecond != 0 { try container.encode(videoSecond, forKey: .videoSecond) }
    }

    /// Builds without validating; for the parser, which validates as it reads.
    init(unchecked operations: [Operation], output: OutputSpec, autoRotate: Bool, cacheBuster: String?, frame: Int = 0,
         window: DICOMWindow = .file, videoSecond: Double = 0) {
        self.operations = operations
        self.output = output
        self.autoRotate = autoRotate
        self.cacheBuster = cacheBuster
        self.frame = frame
        self.window = window
        self.videoSecond = videoSecond
    }
}
