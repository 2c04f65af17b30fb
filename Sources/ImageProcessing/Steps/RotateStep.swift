import ImageModel
import Vips

/// Rotates clockwise: exactly for multiples of 90°, by interpolation otherwise.
struct RotateStep: ProcessingStep {
    let degrees: Double
    let background: Color

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        var angle = degrees.truncatingRemainder(dividingBy: 360)
        if angle < 0 { angle += 360 }
        switch angle {
        case 0: return image
        case 90: return try image.rotated(.d90)
        case 180: return try image.rotated(.d180)
        case 270: return try image.rotated(.d270)
        default:
            let (prepared, values) = try BackgroundVector.prepare(image, for: background)
            return try prepared.rotated(degrees: angle, background: values)
        }
    }
}
