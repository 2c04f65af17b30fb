import ImageModel
import Vips

/// Blurs every detected object of some classes (imgproxy Pro's `blur_detections`): each box,
/// grown a little so that hair and chin go too, is cut out, blurred and put back.
struct BlurDetectionsStep: ProcessingStep {
    let sigma: Double
    let classes: [String]

    /// How much each side of a box grows, as a share of its size: detectors box the face
    /// tightly, and a blur that stops at the eyebrows leaves a person recognisable.
    static let margin: Float = 0.15

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        try blurring(try boxes(in: image, context: context), in: image)
    }

    /// The boxes of this step's classes in `image`, in its pixels.
    func boxes(in image: VipsImage, context: StepContext) throws -> [Box] {
        try context.detections(classes, in: image).map(\.box)
    }

    /// `image` with each of `boxes` (grown by ``margin``) blurred; where boxes overlap, the
    /// overlap is blurred once, from the original pixels.
    func blurring(_ boxes: [Box], in image: VipsImage) throws -> VipsImage {
        var result = image
        for box in boxes {
            let grown = Box(x: box.x - box.width * Self.margin, y: box.y - box.height * Self.margin,
                            width: box.width * (1 + 2 * Self.margin), height: box.height * (1 + 2 * Self.margin))
            guard let (left, top, width, height) = grown.pixels(inWidth: image.width, height: image.height) else { continue }
            let patch = try image.extracted(left: left, top: top, width: width, height: height)
                .gaussianBlurred(sigma: sigma).cast(to: image.bandFormat)
            result = try result.inserting(patch, x: left, y: top)
        }
        return result
    }
}
