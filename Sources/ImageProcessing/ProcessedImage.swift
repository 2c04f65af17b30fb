import Foundation
import ImageModel

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
}
