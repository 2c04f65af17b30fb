import ImageModel
import Vips

/// Adds a border of a colour around the image.
struct PadStep: ProcessingStep {
    let top: Int
    let right: Int
    let bottom: Int
    let left: Int
    let background: Color

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        if top == 0 && right == 0 && bottom == 0 && left == 0 { return image }
        let (prepared, values) = try BackgroundVector.prepare(image, for: background)
        return try prepared.embedded(x: left, y: top, width: image.width + left + right,
                                     height: image.height + top + bottom, background: values)
    }
}
