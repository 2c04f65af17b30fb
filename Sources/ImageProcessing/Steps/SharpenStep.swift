import Vips

/// Unsharp-mask sharpening; libvips works on lightness, so colours do not fringe.
struct SharpenStep: ProcessingStep {
    let sigma: Double

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        let sharpened = try image.sharpened(sigma: sigma)
        // libvips answers in its 16-bit LabS-derived space for some inputs; return to the input's space.
        if sharpened.interpretation != image.interpretation {
            return try sharpened.colourspace(image.interpretation).cast(to: image.bandFormat)
        }
        return try sharpened.cast(to: image.bandFormat)
    }
}
