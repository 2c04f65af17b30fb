import ImageModel
import Vips

/// Crops to a size, keeping the part the gravity picks; `sm` uses libvips' attention detector,
/// `obj` the object detector.
struct CropStep: ProcessingStep {
    let width: Int
    let height: Int
    let gravity: Gravity

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        // 0 keeps that side whole; a box larger than the image is clamped to it.
        let w = width == 0 ? image.width : min(width, image.width)
        let h = height == 0 ? image.height : min(height, image.height)
        if w == image.width && h == image.height { return image }
        if gravity == .smart { return try image.smartCropped(width: w, height: h, interesting: .attention) }
        let gravity = try context.resolving(gravity, in: image)
        let origin = gravity.offset(inner: (w, h), outer: (image.width, image.height))
        return try image.extracted(left: origin.x, top: origin.y, width: w, height: h)
    }
}
