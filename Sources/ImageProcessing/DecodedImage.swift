public import Media
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

extension DecodedImage {
    /// A video frame (packed RGB, as the video helper sends it) as a decoded image, for the
    /// detectors that look at a stream's frames.
    ///
    /// - Throws: ``ProcessingError/undecodable(_:)`` when the pixels do not make an image.
    public init(_ sample: VideoSample) throws(ProcessingError) {
        do {
            self.init(try VipsImage.fromPixels(sample.rgb, width: sample.width, height: sample.height, bands: 3))
        } catch {
            throw .undecodable("video frame at \(sample.seconds) s: \(error)")
        }
    }
}
