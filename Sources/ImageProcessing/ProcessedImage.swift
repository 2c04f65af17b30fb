public import Foundation
public import ImageModel

/// The result of running a recipe: encoded bytes and what they are.
public struct ProcessedImage: Sendable, Equatable {
    /// The encoded image.
    public let data: Data
    /// The format it is encoded in (never `.auto`).
    public let format: OutputFormat
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// The encoder quality used; nil for lossless formats (PNG, GIF, lossless WebP, TIFF).
    public var quality: Int? = nil
    /// How `aq` or `mb` searched for the quality, when one did.
    public var qualitySearch: QualitySearchReport? = nil
    /// How `f:auto` chose the format, when it did.
    public var formatDecision: FormatDecision? = nil
    /// Where the time went.
    public var timings = RenderTimings()
}

/// How long each part of a render took.
public struct RenderTimings: Sendable, Equatable {
    /// Waiting for a pixel thread.
    public var queue: Duration = .zero
    /// Reading, decoding and running the operations (up to the encoder).
    public var processing: Duration = .zero
    /// Encoding, which is where libvips' lazy pipeline actually computes pixels.
    public var encode: Duration = .zero
}

/// How a quality search went: what it cost and whether it met its target.
public struct QualitySearchReport: Sendable, Equatable {
    /// False when no quality in range met the target; the closest one was used.
    public let met: Bool
    /// Encodes of the whole image (at most four per search).
    public let fullEncodes: Int
    /// Tries on the probe sample, each a fraction of a full encode.
    public let sampleProbes: Int
    /// JPEG only: the answer keeps its chroma whole below q90, where libvips would halve it,
    /// because that met the target in fewer bytes.
    public var wholeChroma = false
}
