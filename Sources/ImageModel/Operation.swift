/// One step of a ``Recipe``. Operations run in the order the recipe lists them.
///
/// Each case is a plain value; ``Recipe/validate()`` checks that its numbers are in range,
/// and the image processor turns it into libvips calls.
public enum Operation: Hashable, Sendable, Codable {
    /// Resize into `width` × `height`. A zero side is derived from the other one and the
    /// aspect ratio. `enlarge` allows growing a smaller image; `extend` pads the result out
    /// to the full box with the background; `gravity` chooses what `fill` keeps.
    case resize(mode: ResizeMode, width: Int, height: Int, enlarge: Bool, extend: Bool, gravity: Gravity)
    /// Crop to `width` × `height` (clamped to the image), keeping the part the gravity picks.
    case crop(width: Int, height: Int, gravity: Gravity)
    /// Cut out an exact rectangle (clamped to the image).
    case extract(x: Int, y: Int, width: Int, height: Int)
    /// Rotate clockwise by any angle; corners that appear are filled with `background`.
    case rotate(degrees: Double, background: Color)
    /// Mirror horizontally and/or vertically.
    case flip(horizontal: Bool, vertical: Bool)
    /// Gaussian blur with standard deviation `sigma` pixels.
    case blur(sigma: Double)
    /// Unsharp-mask sharpening with Gaussian `sigma` pixels.
    case sharpen(sigma: Double)
    /// Convert to shades of grey.
    case grayscale
    /// Black and white only: grey levels at or above the middle become white (IIIF's `bitonal`).
    case bitonal
    /// Brightness offset (-255…255), contrast factor (1 = unchanged) and saturation factor (1 = unchanged).
    case adjust(brightness: Int, contrast: Double, saturation: Double)
    /// Add a border of the given widths in `background`.
    case pad(top: Int, right: Int, bottom: Int, left: Int, background: Color)
    /// Blend any alpha channel onto `background`.
    case flatten(background: Color)
    /// Remove a border of near-uniform colour: pixels within `threshold` of `background`
    /// (or of the top-left pixel when nil).
    case trim(threshold: Double, background: Color?)
    /// Draw the configured watermark image with `opacity` (0…1) at `position`, shifted by
    /// `x` and `y`, scaled to `scale` × the image width (0 keeps its own size).
    case watermark(opacity: Double, position: Gravity, x: Int, y: Int, scale: Double)
    /// Gaussian-blur every detected object of `classes` with standard deviation `sigma` (imgproxy
    /// Pro's `blur_detections`): faces made unrecognisable for privacy.
    case blurDetections(sigma: Double, classes: [String])
    /// Outline every detected object of `classes` (imgproxy Pro's `draw_detections`), for debugging.
    case drawDetections(classes: [String])

    /// The name used in error messages and metrics.
    public var name: String {
        switch self {
        case .resize: "resize"
        case .crop, .extract: "crop"
        case .rotate: "rotate"
        case .flip: "flip"
        case .blur: "blur"
        case .sharpen: "sharpen"
        case .grayscale: "grayscale"
        case .bitonal: "bitonal"
        case .adjust: "adjust"
        case .pad: "padding"
        case .flatten: "background"
        case .trim: "trim"
        case .watermark: "watermark"
        case .blurDetections: "blur_detections"
        case .drawDetections: "draw_detections"
        }
    }

    /// The object classes the operation looks for in the image (so it needs a detector); empty
    /// for most.
    public var detectedClasses: [String] {
        switch self {
        case let .blurDetections(_, classes), let .drawDetections(classes): classes
        case let .crop(_, _, .objects(classes)), let .resize(_, _, _, _, _, .objects(classes)): classes
        default: []
        }
    }

    /// Whether the operation reads its input out of order, so the source must be loaded
    /// for random access rather than streamed top to bottom.
    public var needsRandomAccess: Bool {
        switch self {
        // Detection reads the image once and the step reads it again.
        case .rotate, .trim, .blurDetections, .drawDetections: true
        case let .flip(_, vertical): vertical
        case let .crop(_, _, gravity): gravity.isFound
        case let .resize(mode, _, _, _, _, gravity): gravity.isFound && mode != .fit && mode != .force
        default: false
        }
    }

    /// Whether the operation only moves or resamples pixels, never changing what a value
    /// means: the operations a 16-bit result for analysis may have.
    public var keepsValues: Bool {
        switch self {
        case .resize(_, _, _, _, _, .objects), .crop(_, _, .objects): false
        case .resize, .crop, .extract, .rotate, .flip: true
        default: false
        }
    }
}
