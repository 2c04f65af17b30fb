import Vips

/// Applies the EXIF orientation so the image is upright.
struct AutoRotateStep: ProcessingStep {
    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        image.orientation == 1 ? image : try image.autoRotated()
    }
}
