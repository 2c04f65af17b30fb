import ImageModel
import Vips

/// Draws the configured watermark image with an opacity, a position and an optional scale.
struct WatermarkStep: ProcessingStep {
    let opacity: Double
    let position: Gravity
    let x: Int
    let y: Int
    let scale: Double

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        guard let data = context.watermark else { throw ProcessingError.missingWatermark }
        var mark = try VipsImage.load(data, access: .random)
        mark = try ColourStep().apply(to: mark, context: context)
        if mark.bands < 3 { mark = try mark.colourspace(.srgb) }
        if !mark.hasAlpha { mark = try mark.addingBand(constant: 255) }
        if scale > 0 {
            let width = max(1, Int((Double(image.width) * scale).rounded()))
            let height = max(1, Int((Double(mark.height) * Double(width) / Double(mark.width)).rounded()))
            mark = try mark.resized(toWidth: width, height: height)
        }
        // Never larger than the image it marks.
        if mark.width > image.width || mark.height > image.height {
            mark = try mark.thumbnail(width: image.width, height: image.height, size: .down)
        }
        if opacity < 1 {
            mark = try mark.linear([1, 1, 1, opacity], [0, 0, 0, 0]).cast(to: .uchar)
        }
        var base = image
        if base.bands < 3 { base = try base.colourspace(.srgb) }
        let origin = position.offset(inner: (mark.width, mark.height), outer: (base.width, base.height))
        let marked = try base.composited(over: mark, x: origin.x + x, y: origin.y + y)
        // Compositing always adds alpha; an opaque image stays opaque.
        return image.hasAlpha ? marked : try marked.bands(from: 0, count: marked.bands - 1)
    }
}
