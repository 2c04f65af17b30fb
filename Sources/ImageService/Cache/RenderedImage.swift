public import Foundation
public import ImageModel

/// A finished render as the service keeps and serves it.
public struct RenderedImage: Sendable {
    /// The encoded bytes.
    public let data: Data
    /// Their format.
    public let format: OutputFormat
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// The encoder quality; nil for lossless formats.
    public var quality: Int? = nil
    /// True when `aq` or `mb` could not meet its target and the closest quality was used.
    public var qualityUnmet = false
    /// For `f:auto`: what the content looked like (`photo` or `graphic`).
    public var content: String? = nil
    /// For `f:auto`: why the format was chosen.
    public var formatReason: String? = nil
}
