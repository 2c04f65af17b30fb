import ImageModel
import Vips

/// Blends the alpha channel onto a background colour.
struct FlattenStep: ProcessingStep {
    let background: Color

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        guard image.hasAlpha else { return image }
        let values = BackgroundVector.values(background, bands: image.bands - 1, hasAlpha: false)
        return try image.flattened(background: values)
    }
}
