import Foundation
import ImageModel
import Vips

/// Encodes the finished pipeline; this is where libvips actually computes the pixels.
struct EncodeStep {
    let output: OutputSpec

    /// The concrete format: `auto` becomes PNG for images with alpha and JPEG otherwise.
    func resolvedFormat(for image: VipsImage) -> OutputFormat {
        if output.format != .auto { return output.format }
        return image.hasAlpha ? .png : .jpeg
    }

    func encode(_ image: VipsImage) throws -> (Data, OutputFormat) {
        let format = resolvedFormat(for: image)
        var image = image
        if !format.supportsAlpha && image.hasAlpha {
            let values = BackgroundVector.values(output.background ?? .white, bands: image.bands - 1, hasAlpha: false)
            image = try image.flattened(background: values)
        }
        let quality = output.quality ?? OutputSpec.defaultQuality(for: format)
        let e = output.encoder
        let strip = output.stripMetadata
        let options: SaveOptions
        switch format {
        case .jpeg, .auto:
            options = .jpeg(quality: quality, progressive: e.progressive, optimizeCoding: e.optimizeCoding,
                             subsampling: e.noChromaSubsampling ? .off : .auto, strip: strip)
        case .png:
            options = .png(compression: e.pngCompression, palette: e.palette, quality: quality,
                           interlace: e.interlace, strip: strip)
        case .webp:
            options = .webp(quality: quality, lossless: e.lossless, effort: e.webpEffort, strip: strip)
        case .avif:
            options = .avif(quality: quality, effort: 9 - e.avifSpeed, strip: strip)
        case .tiff:
            // JPEG tiles keep pyramids small; alpha needs a lossless codec.
            let tiled = e.tiled || e.pyramid
            let compression: TIFFCompression = tiled && !image.hasAlpha ? .jpeg : .deflate
            options = .tiff(compression: compression, quality: quality, tiled: tiled, tileSize: 256,
                            pyramid: e.pyramid, strip: strip)
        case .gif:
            options = .gif(effort: 7, strip: strip)
        }
        return (try image.encoded(options), format)
    }
}
