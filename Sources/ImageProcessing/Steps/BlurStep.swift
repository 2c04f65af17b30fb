import Vips

/// Gaussian blur.
struct BlurStep: ProcessingStep {
    let sigma: Double

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        try image.gaussianBlurred(sigma: sigma).cast(to: image.bandFormat)
    }
}
