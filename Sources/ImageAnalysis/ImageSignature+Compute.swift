import Crypto
import Foundation

extension ImageSignature {
    /// The grey deviation (0–255 scale) under which an image counts as flat.
    static let flatDeviation = 3.0

    /// Measures the signature on the analysis copy: its grey plane and its interleaved 8-bit
    /// pixels (`bands` per pixel, alpha already flattened), from a source of the given size.
    init(grey: GreyPlane, pixels: [UInt8], bands: Int, sourceWidth: Int, sourceHeight: Int) {
        let trimmed = grey.trimmingUniformBorders()
        let mirror = grey.mirrored()
        var digest = SHA256()
        digest.update(data: Data("\(sourceWidth)x\(sourceHeight)x\(grey.width)x\(grey.height)x\(bands)\n".utf8))
        digest.update(data: pixels)
        self.init(phash: .dct(of: grey), dhash: .difference(of: grey), blockHash: .blockMean(of: trimmed),
                  mirroredPHash: .dct(of: mirror), mirroredBlockHash: .blockMean(of: trimmed.mirrored()),
                  ringProfile: grey.ringProfile(), colourMoments: Self.colourMoments(pixels, bands: bands),
                  pixelDigest: digest.finalize().prefix(16).map { String(format: "%02x", $0) }.joined(),
                  isFlat: grey.meanAndDeviation.deviation < Self.flatDeviation,
                  // OpenCV fails only on a plane it cannot take, which the analysis copy never
                  // is; an image without keypoints is still found by its hashes.
                  keypoints: (try? LocalFeatures.detect(in: grey)) ?? .none(width: grey.width, height: grey.height))
    }

    /// Mean and standard deviation of red, green and blue (grey counts as all three), 0–1.
    static func colourMoments(_ pixels: [UInt8], bands: Int) -> [Double] {
        let count = pixels.count / max(1, bands)
        guard count > 0 else { return [0, 0, 0, 0, 0, 0] }
        var moments: [Double] = []
        for channel in 0..<3 {
            let offset = bands >= 3 ? channel : 0
            var sum = 0.0, sumOfSquares = 0.0
            for index in 0..<count {
                let value = Double(pixels[index * bands + offset]) / 255
                sum += value
                sumOfSquares += value * value
            }
            let mean = sum / Double(count)
            moments += [mean, max(0, sumOfSquares / Double(count) - mean * mean).squareRoot()]
        }
        return moments
    }
}
