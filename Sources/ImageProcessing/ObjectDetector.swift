public import ImageModel

/// Finds objects in decoded images, for the recipe options that crop on them (`g:obj:face`),
/// blur them (`bd`) or outline them (`dd`).
///
/// The processor is given one by its owner; the face detectors live in `ImageAnalysis`, above
/// this module, so the pixel engine does not depend on the models.
public protocol ObjectDetector: Sendable {
    /// The object classes it finds, such as `face`.
    var classes: Set<String> { get }
    /// The longest side, in pixels, it looks at to find every object (to blur or draw them):
    /// larger images are reduced to it first.
    var workingSize: Int { get }
    /// The longest side it looks at to frame a crop (`g:obj`): smaller than ``workingSize``,
    /// because only objects large enough to matter to a crop need to be found, and the
    /// detection should cost little beside the resize. A shrink-on-load keeps at least this much.
    var framingSize: Int { get }
    /// The objects of `classes` in `image`, in its pixels, the surest first, looking at a copy
    /// whose longest side is `longestSide`. Runs on the calling pixel thread.
    /// - Throws: an error that says what failed; the processor reports it as `detectionFailed`.
    func detect(_ classes: [String], in image: DecodedImage, longestSide: Int) throws -> [DetectedObject]
}
