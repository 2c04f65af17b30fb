import Vips

/// Converts to shades of grey, keeping any alpha.
struct GrayscaleStep: ProcessingStep {
    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        if image.interpretation == .bw { return image }
        return try image.colourspace(.bw)
    }
}
