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
    /// What finds faces for `g:obj`, `bd` and `dd`; nil when none is loaded.
    var detector: (any ObjectDetector)? = nil
    /// Why there is no detector, for the refusal.
    var detectorAbsence = "no object detector is loaded"
    /// Bits per sample the result keeps: 8, or 16 (`depth:16`) to carry a 16-bit source's values.
    var bitDepth = 8

    /// The objects of `classes` in `image`, in its pixels; `framing` looks only for those large
    /// enough to frame a crop on.
    /// - Throws: ``ProcessingError/detectorUnavailable(_:)`` without a detector,
    ///   ``ProcessingError/detectionFailed(_:)`` when it fails.
    func detections(_ classes: [String], in image: VipsImage, framing: Bool = false) throws(ProcessingError) -> [DetectedObject] {
        guard let detector else { throw .detectorUnavailable(detectorAbsence) }
        let side = framing ? detector.framingSize : detector.workingSize
        do { return try detector.detect(classes, in: DecodedImage(image), longestSide: side) } catch let error as ProcessingError {
            throw error
        } catch {
            throw .detectionFailed(String(describing: error))
        }
    }

    /// Object gravity made concrete for `image`: a focus point on the centre of the box that
    /// holds every object found, or the centre when none is. Other gravities are returned as
    /// they are. Fractions of the size hold at any scale, so the answer found on a larger
    /// image serves after it is resized.
    func resolving(_ gravity: Gravity, in image: VipsImage) throws(ProcessingError) -> Gravity {
        guard case let .objects(classes) = gravity else { return gravity }
        let found = try detections(classes, in: image, framing: true)
        guard let first = found.first else { return .centre }
        let frame = found.dropFirst().reduce(first.box) { $0.union($1.box) }
        func fraction(_ value: Float, of size: Int) -> Double { min(1, max(0, Double(value) / Double(max(1, size)))) }
        return .focusPoint(x: fraction(frame.x + frame.width / 2, of: image.width),
                           y: fraction(frame.y + frame.height / 2, of: image.height))
    }
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
        case let .blurDetections(sigma, classes): BlurDetectionsStep(sigma: sigma, classes: classes)
        case let .drawDetections(classes): DrawDetectionsStep(classes: classes)
        }
    }
}
