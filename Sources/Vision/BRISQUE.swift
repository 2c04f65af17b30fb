import COpenCV
import Foundation

/// BRISQUE (Mittal, Moorthy and Bovik, 2012), a no-reference perceptual quality score, from
/// OpenCV's `quality` module with the model trained on the LIVE database that Debian's
/// `opencv-data` ships: 0 is best, about 100 worst; blur, noise and blocking raise it.
public struct BRISQUE: Sendable {
    /// Where Debian's `opencv-data` puts the model and its feature ranges.
    public static let debianFolder = "/usr/share/opencv4/quality"

    public let modelPath: String
    public let rangePath: String

    /// A scorer with the model files in `folder`.
    public init(folder: String = BRISQUE.debianFolder) {
        modelPath = (folder as NSString).appendingPathComponent("brisque_model_live.yml")
        rangePath = (folder as NSString).appendingPathComponent("brisque_range_live.yml")
    }

    /// Whether both model files are there (they come from a package, not from the binary).
    public var isAvailable: Bool {
        FileManager.default.isReadableFile(atPath: modelPath) && FileManager.default.isReadableFile(atPath: rangePath)
    }

    /// The score of `image`.
    /// - Throws: ``VisionError`` naming the missing model file, or OpenCV's message.
    public func score(_ image: GreyPixels) throws(VisionError) -> Double {
        VisionRuntime.ensureStarted()
        for path in [modelPath, rangePath] where !FileManager.default.isReadableFile(atPath: path) {
            throw VisionError("BRISQUE: the model file \(path) is missing (Debian's opencv-data installs it)")
        }
        guard image.width >= 16, image.height >= 16 else { throw VisionError("BRISQUE: \(image.width)×\(image.height) is too small to score") }
        var score = 0.0
        var error = [CChar](repeating: 0, count: 512)
        let status = image.bytes.withUnsafeBufferPointer { pixels in
            dr_cv_brisque(pixels.baseAddress, Int32(image.width), Int32(image.height), image.width, modelPath, rangePath,
                          &score, &error, error.count)
        }
        guard status == 0 else { throw VisionError("BRISQUE", buffer: error) }
        return score
    }
}
