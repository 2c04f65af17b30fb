import Vips

/// Brightness, contrast and saturation, as imgproxy defines them.
struct AdjustStep: ProcessingStep {
    let brightness: Int
    let contrast: Double
    let saturation: Double

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        var result = image
        let colourBands = image.hasAlpha ? image.bands - 1 : image.bands
        if brightness != 0 || contrast != 1 {
            // Contrast pivots around mid-grey: v' = (v - 128) * c + 128 + b. Alpha is left alone.
            let offset = 128 * (1 - contrast) + Double(brightness)
            var a = Array(repeating: contrast, count: colourBands)
            var b = Array(repeating: offset, count: colourBands)
            if image.hasAlpha { a.append(1); b.append(0) }
            result = try result.linear(a, b).cast(to: .uchar)
        }
        if saturation != 1 && colourBands >= 3 {
            // Scale chroma in LCh, which changes colourfulness without moving hue or lightness.
            let lch = try result.colourspace(.lch)
            var a = [1, saturation, 1], b = [0.0, 0, 0]
            if image.hasAlpha { a.append(1); b.append(0) }
            result = try lch.linear(a, b).colourspace(.srgb).cast(to: .uchar)
        }
        return result
    }
}
