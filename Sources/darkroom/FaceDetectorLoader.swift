import ImageAnalysis
import ImageProcessing
import Logging

/// Loads the configured face detector for the processor, or says why there is none: a missing
/// model refuses the face options (422) rather than stopping the process from starting.
enum FaceDetectorLoader {
    /// The detector named `kind` (`none` for no detector) from `folder`.
    /// - Returns: the detector, or nil with the reason the face options will be refused with.
    static func load(_ kind: String, folder: String, logger: Logger) -> (detector: FaceDetector?, absence: String) {
        guard let kind = FaceDetectorKind(rawValue: kind) else {
            return (nil, "face detection is turned off (--face-detector none)")
        }
        do {
            let detector = try FaceDetector(kind: kind, models: FaceModels(folder: folder))
            logger.debug("face detector loaded", metadata: ["detector": "\(kind.rawValue)", "models": "\(folder)"])
            return (detector, "")
        } catch {
            logger.warning("face options will be refused", metadata: ["reason": "\(error)"])
            return (nil, "\(error) (--face-detector, --face-models)")
        }
    }

    /// `processor` with the configured detector.
    static func processor(_ processor: ImageProcessor, kind: String, folder: String, logger: Logger) -> ImageProcessor {
        let (detector, absence) = load(kind, folder: folder, logger: logger)
        return processor.detecting(with: detector, absence: absence)
    }
}
