import ImageModel
import Vips

/// Removes borders whose colour is within a threshold of the background (the top-left pixel by default).
struct TrimStep: ProcessingStep {
    let threshold: Double
    let background: Color?

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        // find_trim compares colour bands only, so alpha is flattened onto the background first.
        let colourBands = image.hasAlpha ? image.bands - 1 : image.bands
        let reference: [Double]
        if let background {
            reference = BackgroundVector.values(background, bands: colourBands, hasAlpha: false)
        } else {
            reference = Array(try image.pixel(x: 0, y: 0).prefix(colourBands))
        }
        let opaque = image.hasAlpha ? try image.flattened(background: reference) : image
        let box = try opaque.trimBox(threshold: threshold, background: reference)
        // A uniform image has nothing to keep; leave it as it is rather than fail.
        guard box.width > 0, box.height > 0 else { return image }
        if box.width == image.width && box.height == image.height { return image }
        return try image.extracted(left: box.left, top: box.top, width: box.width, height: box.height)
    }
}
