package import Vips

/// A decoded image, as ``ImageProcessor/derive(_:preprocess:inspect:outputs:)`` shows it to
/// analysis: opaque to every module that does not reach libvips itself, so layers above
/// (pipelines, the HTTP service) can hand it on without touching the engine.
public struct DecodedImage: Sendable {
    /// The libvips image, for the modules of this package that work on pixels.
    package let vipsImage: VipsImage

    /// Wraps a libvips image.
    package init(_ vipsImage: VipsImage) {
        self.vipsImage = vipsImage
    }

    /// Width in pixels.
    public var width: Int { vipsImage.width }
    /// Height in pixels.
    public var height: Int { vipsImage.height }
}
