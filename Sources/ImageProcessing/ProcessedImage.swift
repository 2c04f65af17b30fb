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
