import ImageModel
import Vips

/// Outlines every detected object of some classes (imgproxy Pro's `draw_detections`), to see
/// what the detector found.
struct DrawDetectionsStep: ProcessingStep {
    let classes: [String]

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        let found = try context.detections(classes, in: image)
        guard !found.isEmpty else { return image }
        let rectangles = found.compactMap { $0.box.pixels(inWidth: image.width, height: image.height) }
        // Red on colour, white on grey; opaque where there is alpha.
        let ink: [Double] = switch image.bands {
        case 1: [255]
        case 2: [255, 255]
        case 3: [255, 0, 0]
        default: [255, 0, 0] + Array(repeating: 255, count: image.bands - 3)
        }
        let thickness = max(2, min(image.width, image.height) / 200)
        return try image.drawingRectangles(rectangles, ink: ink, thickness: thickness)
    }
}
