import ImageModel
import Vips

/// Resizes by imgproxy's rules (fit, fill, fill-down, force, auto), then crops and extends.
struct ResizeStep: ProcessingStep {
    let mode: ResizeMode
    let width: Int
    let height: Int
    let enlarge: Bool
    let extend: Bool
    let gravity: Gravity

    func plan(sourceWidth: Int, sourceHeight: Int) -> ResizePlan {
        ResizePlan(sourceWidth: sourceWidth, sourceHeight: sourceHeight, mode: mode,
                   boxWidth: width, boxHeight: height, enlarge: enlarge, extend: extend)
    }

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        let plan = plan(sourceWidth: image.width, sourceHeight: image.height)
        // Objects are looked for before the image shrinks, where they are larger.
        let gravity = plan.crop == nil ? gravity : try context.resolving(gravity, in: image)
        // After shrink-on-load the image is already at the planned size and this is a no-op.
        var result = try image.resized(toWidth: plan.width, height: plan.height)
        if let crop = plan.crop {
            result = try CropStep(width: crop.width, height: crop.height, gravity: gravity)
                .apply(to: result, context: context)
        }
        if let canvas = plan.canvas, canvas.width > result.width || canvas.height > result.height {
            let (prepared, background) = try BackgroundVector.prepare(result, for: .transparent)
            let offset = Gravity.centre.offset(inner: (result.width, result.height), outer: canvas)
            result = try prepared.embedded(x: offset.x, y: offset.y, width: max(canvas.width, result.width),
                                           height: max(canvas.height, result.height), background: background)
        }
        return result
    }
}
