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
        guard let maxBytes = output.maxBytes, [.jpeg, .webp, .avif, .heic].contains(format) else {
            return (try image.encoded(options(format, quality: quality, hasAlpha: image.hasAlpha)), format)
        }
        // Lower the quality until the result fits, as imgproxy's max_bytes does; the pipeline
        // is computed once and kept in memory so that each attempt only re-encodes.
        image = try image.materialised()
        var q = quality
        while true {
            let bytes = try image.encoded(options(format, quality: q, hasAlpha: image.hasAlpha))
            if bytes.count <= maxBytes || q <= 10 { return (bytes, format) }
            q = max(10, Int(Double(q) * 0.8))
        }
    }

    private func options(_ format: OutputFormat, quality: Int, hasAlpha: Bool) -> SaveOptions {
        let e = output.encoder
        let strip = output.stripMetadata
        switch format {
        case .jpeg, .auto:
            return .jpeg(quality: quality, progressive: e.progressive, optimizeCoding: e.optimizeCoding,
                         subsampling: e.noChromaSubsampling ? .off : .auto, strip: strip)
        case .png:
            return .png(compression: e.pngCompression, palette: e.palette, quality: quality,
                        interlace: e.interlace, strip: strip)
        case .webp:
            return .webp(quality: quality, lossless: e.lossless, effort: e.webpEffort, strip: strip)
        case .avif:
            return .avif(quality: quality, effort: 9 - e.avifSpeed, strip: strip)
        case .heic:
            return .heic(quality: quality, effort: 4, strip: strip)
        case .tiff:
            // JPEG tiles keep pyramids small; alpha needs a lossless codec.
            let tiled = e.tiled || e.pyramid
            let compression: TIFFCompression = tiled && !hasAlpha ? .jpeg : .deflate
            return .tiff(compression: compression, quality: quality, tiled: tiled, tileSize: 256,
                         pyramid: e.pyramid, strip: strip)
        case .gif:
            return .gif(effort: 7, strip: strip)
        }
    }
}
