import ImageModel
import PerceptualMetrics
import Vips

/// An image before encoding that encoded candidates are measured against, with the metric an
/// `aq` method names: SSIMULACRA2 for `ssimulacra2` (and `q:auto`), DSSIM for imgproxy's `dssim`.
struct PerceptualReference {
    private enum Metric {
        case ssimulacra2(SSIMULACRA2.Reference)
        case dssim(DSSIM.Reference)
    }

    private let metric: Metric

    /// Prepares `image` (any bands; transparency over grey, as the judge blends it).
    init(_ image: VipsImage, method: AutoQuality.Method) throws(VipsError) {
        switch method {
        case .dssim:
            let (lab, width, height) = try Self.lab(image)
            metric = .dssim(DSSIM.Reference(lab: lab, width: width, height: height))
        case .ssimulacra2, .size:
            let (rgb, width, height) = try Self.rgb(image)
            metric = .ssimulacra2(SSIMULACRA2.Reference(rgb: rgb, width: width, height: height))
        }
    }

    /// How far `candidate` (decoded, the same size) is from the reference, lower being closer:
    /// DSSIM, or 100 minus the SSIMULACRA2 score.
    func distance(to candidate: VipsImage) throws(VipsError) -> Double {
        switch metric {
        case let .ssimulacra2(reference):
            let (rgb, width, height) = try Self.rgb(candidate)
            try Self.check(width, height, reference.width, reference.height)
            return 100 - reference.score(rgb)
        case let .dssim(reference):
            let (lab, width, height) = try Self.lab(candidate)
            try Self.check(width, height, reference.width, reference.height)
            return reference.distance(lab)
        }
    }

    private static func check(_ width: Int, _ height: Int, _ expectedWidth: Int, _ expectedHeight: Int) throws(VipsError) {
        guard width == expectedWidth, height == expectedHeight else {
            throw VipsError(operation: "autoquality", message: "the decoded candidate is \(width)x\(height), not \(expectedWidth)x\(expectedHeight)")
        }
    }

    private static func rgb(_ image: VipsImage) throws(VipsError) -> ([UInt8], Int, Int) {
        let rgb = try image.opaqueSRGB(background: [128, 128, 128])
        return (try rgb.pixelBytes(), rgb.width, rgb.height)
    }

    private static func lab(_ image: VipsImage) throws(VipsError) -> ([Float], Int, Int) {
        let lab = try image.opaqueSRGB(background: [128, 128, 128]).colourspace(.lab)
        return (try lab.floatPixels(), lab.width, lab.height)
    }
}
