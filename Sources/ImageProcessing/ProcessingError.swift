public import ImageModel

/// Why an image could not be processed. Each case maps to one HTTP status and CLI message.
public enum ProcessingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The recipe is invalid, or does not fit this image (a crop outside it, say).
    case invalidRecipe(RecipeError)
    /// A size limit was exceeded; found from the header, before decoding.
    case limitExceeded(LimitError)
    /// The bytes are not an image format this build reads (or one blocked as unsafe).
    case unsupportedFormat(String)
    /// The image is recognised but broken: truncated, corrupt, or inconsistent.
    case undecodable(String)
    /// The result could not be encoded in the requested format.
    case encodeFailed(String)
    /// The source could not be read.
    case sourceUnreadable(String)
    /// The recipe draws a watermark but none is configured.
    case missingWatermark
    /// The recipe looks for objects (`g:obj`, `bd`, `dd`) but no detector for them is loaded:
    /// the detail says why (its model files are missing, say).
    case detectorUnavailable(String)
    /// The detector failed on this image.
    case detectionFailed(String)
    /// Every pixel thread is busy and the waiting line is full.
    case overloaded
    /// The pool is shutting down.
    case shuttingDown
    /// The caller cancelled the work.
    case cancelled

    public var description: String {
        switch self {
        case let .invalidRecipe(error): "invalid recipe: \(error)"
        case let .limitExceeded(error): "limit exceeded: \(error)"
        case let .unsupportedFormat(detail): "unsupported image format: \(detail)"
        case let .undecodable(detail): "cannot decode image: \(detail)"
        case let .encodeFailed(detail): "cannot encode image: \(detail)"
        case let .sourceUnreadable(detail): "cannot read source: \(detail)"
        case .missingWatermark: "the recipe draws a watermark, but no watermark image is configured"
        case let .detectorUnavailable(detail): "object detection is unavailable: \(detail)"
        case let .detectionFailed(detail): "object detection failed: \(detail)"
        case .overloaded: "overloaded: every pixel thread is busy and the queue is full"
        case .shuttingDown: "shutting down"
        case .cancelled: "cancelled"
        }
    }
}
