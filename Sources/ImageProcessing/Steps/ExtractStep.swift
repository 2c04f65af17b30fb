import ImageModel
import Vips

/// Cuts out an exact rectangle, clamped to the image.
struct ExtractStep: ProcessingStep {
    let x: Int
    let y: Int
    let width: Int
    let height: Int

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        guard x < image.width, y < image.height else {
            throw ProcessingError.invalidRecipe(RecipeError(
                option: "crop", expected: "a rectangle that starts inside the \(image.width)x\(image.height) image",
                found: "\(x),\(y)"))
        }
        let w = min(width, image.width - x), h = min(height, image.height - y)
        if x == 0 && y == 0 && w == image.width && h == image.height { return image }
        return try image.extracted(left: x, top: y, width: w, height: h)
    }
}
