public import ImageModel
public import ImageProcessing
public import Metrics
import Synchronization
import Vips
import Vision

/// Finds faces: boxes, scores and (CenterFace, MTCNN) five landmarks, in the pixels of the
/// image it is given.
///
/// The image is reduced to ``workingSize`` on its longer side first, so a face costs the same
/// to find in a 40-megapixel photo as in a thumbnail. A network runs one pass at a time, so the
/// detector keeps one engine per pixel thread that has asked, made on first use.
public final class FaceDetector: ObjectDetector {
    /// Which detector.
    public let kind: FaceDetectorKind
    /// The longer side, in pixels, that images are reduced to before looking for every face.
    public let workingSize: Int
    /// The longer side looked at to frame a crop on faces (`g:obj:face`).
    public let framingSize: Int
    public let classes: Set<String> = ["face"]

    /// The landmarks' names, in the order CenterFace and MTCNN give them (left and right as seen
    /// in the image).
    static let landmarkNames = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]

    /// The smallest side, in working pixels, a face can have and be found (MTCNN's proposal
    /// window, CenterFace's stride); smaller images have no face to find.
    public static let minimumFace = 20

    /// How much a small image is enlarged at most before looking.
    static let maximumEnlargement = 2.0

    /// Idle engines by the side they look at: CenterFace needs one network object per input
    /// size, and a network runs one pass at a time.
    private let idle: Mutex<[Int: [any FaceEngine]]>
    /// Where the time of each pass goes: `darkroom_face_detection_seconds{detector, size}`.
    private let metrics: any MetricsFactory
    private let makeEngine: @Sendable (_ side: Int) throws(VisionError) -> any FaceEngine

    /// Loads a detector of `kind` from `models`.
    ///
    /// - Parameters:
    ///   - workingSize: the longer side images are reduced to when every face is wanted (to blur
    ///     or report them).
    ///   - framingSize: the longer side looked at to frame a crop, where only faces large enough
    ///     to matter to it are wanted, at a fraction of the cost.
    ///   - threshold: the lowest score kept; nil for the detector's own default.
    ///   - metrics: where each pass's time is recorded.
    /// - Throws: ``FaceDetectionError/modelMissing(_:)`` naming the missing file, or
    ///   ``FaceDetectionError/modelUnreadable(_:)`` with OpenCV's message.
    public init(kind: FaceDetectorKind = .centerface, models: FaceModels = FaceModels(), workingSize: Int = 640,
                framingSize: Int = 192, threshold: Float? = nil,
                metrics: any MetricsFactory = MetricsSystem.factory) throws(FaceDetectionError) {
        if let missing = kind.missingFile(in: models) { throw .modelMissing(missing) }
        self.kind = kind
        self.metrics = metrics
        self.workingSize = max(64, workingSize)
        self.framingSize = max(64, min(self.workingSize, framingSize))
        let files = kind.files(in: models)
        switch kind {
        case .centerface:
            makeEngine = { (side: Int) throws(VisionError) -> any FaceEngine in
                try CenterFace(file: files[0], side: side, threshold: threshold ?? 0.5)
            }
        case .mtcnn:
            makeEngine = { (_: Int) throws(VisionError) -> any FaceEngine in
                try MTCNN(files: files, minimumFace: FaceDetector.minimumFace, thresholds: (0.6, 0.7, threshold ?? 0.8))
            }
        case .haar:
            makeEngine = { (_: Int) throws(VisionError) -> any FaceEngine in
                try HaarFaces(file: files[0], minimumNeighbours: 5, minimumSize: FaceDetector.minimumFace)
            }
        }
        // One engine now, so a broken model file fails at start-up and not on the first request.
        do { idle = Mutex([self.workingSize: [try makeEngine(self.workingSize)]]) } catch { throw .modelUnreadable(error.message) }
    }

    /// The faces in `image`, the surest first, in its pixels, looking at a copy whose longer
    /// side is `longestSide` (the working size when nil).
    /// - Throws: ``FaceDetectionError/failed(_:)`` when the image cannot be read or a network fails.
    public func faces(in image: DecodedImage, longestSide: Int? = nil) throws(FaceDetectionError) -> [DetectedObject] {
        let side = max(64, longestSide ?? workingSize)
        let working: RGBImage
        do {
            var reduced = image.vipsImage
            // Large images are reduced to the side; small ones doubled at most, which brings the
            // faces of a thumbnail up to a size the networks find.
            let factor = min(Self.maximumEnlargement, Double(side) / Double(max(reduced.width, reduced.height)))
            if factor != 1 { reduced = try reduced.resized(horizontal: factor, vertical: factor) }
            reduced = try reduced.opaqueSRGB()
            working = RGBImage(bytes: try reduced.pixelBytes(), width: reduced.width, height: reduced.height)
        } catch {
            throw .failed("cannot read the image's pixels: \(error)")
        }
        guard min(working.width, working.height) >= Self.minimumFace else { return [] }
        // Only CenterFace's engines depend on the side.
        let key = kind == .centerface ? side : workingSize
        let engine: any FaceEngine
        if let waiting = idle.withLock({ $0[key]?.popLast() }) {
            engine = waiting
        } else {
            do throws(VisionError) { engine = try makeEngine(key) } catch { throw .failed(error.message) }
        }
        defer { idle.withLock { $0[key, default: []].append(engine) } }
        let found: [DetectedObject]
        let started = ContinuousClock.now
        do { found = try engine.faces(in: working) } catch { throw .failed(error.message) }
        Timer(label: "darkroom_face_detection_seconds", dimensions: [("detector", kind.rawValue), ("size", String(side))],
              factory: metrics).record(duration: ContinuousClock.now - started)
        let scaleX = Float(image.width) / Float(working.width), scaleY = Float(image.height) / Float(working.height)
        return found.map { $0.scaled(x: scaleX, y: scaleY) }
    }

    public func detect(_ classes: [String], in image: DecodedImage, longestSide: Int) throws -> [DetectedObject] {
        classes.contains("face") ? try faces(in: image, longestSide: longestSide) : []
    }
}

/// One detector's networks, used by one thread at a time.
protocol FaceEngine: AnyObject, Sendable {
    /// The faces in `image`, in its pixels; `image` fits the detector's working size.
    func faces(in image: RGBImage) throws(VisionError) -> [DetectedObject]
}

/// Why faces could not be looked for.
public enum FaceDetectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model file is not there; the message names it and where it comes from.
    case modelMissing(String)
    /// A model file is there but OpenCV cannot read it.
    case modelUnreadable(String)
    /// Looking failed on one image.
    case failed(String)

    public var description: String {
        switch self {
        case let .modelMissing(detail): detail
        case let .modelUnreadable(detail): "a face model cannot be read: \(detail)"
        case let .failed(detail): "face detection failed: \(detail)"
        }
    }
}
