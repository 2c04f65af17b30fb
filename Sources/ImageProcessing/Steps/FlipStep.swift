import Vips

/// Mirrors horizontally and/or vertically.
struct FlipStep: ProcessingStep {
    let horizontal: Bool
    let vertical: Bool

    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        var result = image
        if horizontal { result = try result.flipped(.horizontal) }
        if vertical { result = try result.flipped(.vertical) }
        return result
    }
}
