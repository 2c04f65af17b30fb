public import ImageModel
import Vips

/// What ``ImageProcessor/derive(_:preprocess:inspect:outputs:)`` made from one decode.
public struct DerivedImages<Inspection: Sendable>: Sendable {
    /// The source's header, as read before decoding.
    public let source: ImageHeader
    /// The working image's size, after preprocessing.
    public let width: Int
    public let height: Int
    /// What the inspection returned (features, for pipelines).
    public let inspection: Inspection
    /// The encoded outputs, in the order asked for.
    public let outputs: [ProcessedImage]
}
