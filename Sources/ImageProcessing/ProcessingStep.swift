import Foundation
import ImageModel
import Vips

/// One operation of a recipe, applied to a lazy libvips pipeline.
///
/// Steps are small values made from an ``Operation``; each returns its input unchanged
/// when it has nothing to do.
protocol ProcessingStep {
    /// Applies the step.
    /// - Throws: ``ProcessingError`` or ``VipsError``.
    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage
}

/// What steps may need beyond the image.
struct StepContext {
    /// The configured watermark image, encoded.
    let watermark: Data?
}

extension ImageModel.Operation {
    /// The step that performs this operation.
    var step: any ProcessingStep {
        switch self {
        case let .resize(mode, width, height, enlarge, extend, gravity):
            ResizeStep(mode: mode, width: width, height: height, enlarge: enlarge, extend: extend, gravity: gravity)
        case let .crop(width, height, gravity): CropStep(width: width, height: height, gravity: gravity)
        case let .extract(x, y, width, height): ExtractStep(x: x, y: y, width: width, height: height)
        case let .rotate(degrees, background): RotateStep(degrees: degrees, background: background)
        case let .flip(horizontal, vertical): FlipStep(horizontal: horizontal, vertical: vertical)
        case let .blur(sigma): BlurStep(sigma: sigma)
        case let .sharpen(sigma): SharpenStep(sigma: sigma)
        case .grayscale: GrayscaleStep()
        case .bitonal: BitonalStep()
        case let .adjust(brightness, contrast, saturation):
            AdjustStep(brightness: brightness, contrast: contrast, saturation: saturation)
        case let .pad(top, right, bottom, left, background):
            PadStep(top: top, right: right, bottom: bottom, left: left, background: background)
        case let .flatten(background): FlattenStep(background: background)
        case let .trim(threshold, background): TrimStep(threshold: threshold, background: background)
        case let .watermark(opacity, position, x, y, scale):
            WatermarkStep(opacity: opacity, position: position, x: x, y: y, scale: scale)
        }
    }
}
