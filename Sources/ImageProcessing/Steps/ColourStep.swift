import Vips

/// Brings any source into 8-bit sRGB (or 8-bit grey): embedded ICC profiles and CMYK are
/// transformed through profiles, 16-bit and other spaces are converted. With `depth:16`, into
/// 16-bit grey or RGB instead, a 16-bit source's values untouched.
struct ColourStep: ProcessingStep {
    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        if context.bitDepth == 16 {
            switch image.interpretation {
            case .grey16 where image.bandFormat == .ushort, .rgb16 where image.bandFormat == .ushort: return image
            case .bw, .grey16: return try image.colourspace(.grey16)
            default: return try image.colourspace(.rgb16)
            }
        }
        if image.hasICCProfile || image.interpretation == .cmyk {
            // A broken profile should not make an otherwise good image fail.
            if let transformed = try? image.iccTransformToSRGB() { return transformed }
        }
        switch image.interpretation {
        case .srgb where image.bandFormat == .uchar, .bw where image.bandFormat == .uchar:
            return image
        case .bw, .grey16:
            return try image.colourspace(.bw).cast(to: .uchar)
        default:
            return try image.colourspace(.srgb).cast(to: .uchar)
        }
    }
}
