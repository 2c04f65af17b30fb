import Vision

/// Measurements of how well an image was taken, on the analysis copy (fitted in 512×512):
/// a perceptual score (BRISQUE), exposure, noise, colourfulness and sharpness. Each moves one way as the image degrades:
/// blur lowers the sharpness, sensor noise raises the noise, under- and over-exposure clip
/// shadows and highlights and move the mean luminance, and washing out lowers the colourfulness.
public struct QualityScores: Sendable, Codable, Equatable {
    /// BRISQUE (``Vision/BRISQUE``): 0 best, about 100 worst; null when its model files (Debian's
    /// `opencv-data`) are missing, so that a `max_brisque` check fails visibly instead of passing.
    public var brisque: Double?
    /// Mean luma, 0 (black) to 1 (white).
    public var meanLuminance: Double
    /// Share of pixels at or below luma 5 (of 255): crushed shadows.
    public var clippedShadows: Double
    /// Share of pixels at or above luma 250: blown highlights.
    public var clippedHighlights: Double
    /// The standard deviation of the noise, in luma levels (Immerkær's fast estimate): the
    /// response to a mask that cancels smooth gradients and edges but not pixel-to-pixel noise.
    public var noise: Double
    /// Hasler and Süsstrunk's colourfulness: 0 for grey, about 15 for muted, 50 for lively
    /// and 100+ for extreme colour.
    public var colourfulness: Double
    /// Variance of the Laplacian (the `sharpness` feature).
    public var sharpness: Double

    /// Both clipped shares together.
    public var clipped: Double { clippedShadows + clippedHighlights }

    enum CodingKeys: String, CodingKey {
        case brisque, noise, colourfulness, sharpness
        case meanLuminance = "mean_luminance", clippedShadows = "clipped_shadows", clippedHighlights = "clipped_highlights"
    }

    /// The scores of interleaved 8-bit `pixels` (`bands` per pixel, alpha already flattened).
    init(grey: GreyPlane, pixels: [UInt8], bands: Int, brisque scorer: BRISQUE = BRISQUE()) {
        brisque = scorer.isAvailable ? (try? scorer.score(grey.pixels)).map(ColorStatistics.rounded) : nil
        let count = Double(max(1, grey.values.count))
        meanLuminance = ColorStatistics.rounded(grey.values.reduce(0, +) / count / 255)
        clippedShadows = ColorStatistics.rounded(Double(grey.values.count { $0 <= 5 }) / count)
        clippedHighlights = ColorStatistics.rounded(Double(grey.values.count { $0 >= 250 }) / count)
        noise = ColorStatistics.rounded(Self.noise(of: grey))
        colourfulness = bands >= 3 ? ColorStatistics.rounded(Self.colourfulness(pixels, bands: bands)) : 0
        sharpness = ColorStatistics.rounded(grey.laplacianVariance)
    }

    /// Immerkær (1996): σ = √(π/2) / (6 (W−2)(H−2)) · Σ |I ∗ N|, N = [1 −2 1; −2 4 −2; 1 −2 1].
    static func noise(of grey: GreyPlane) -> Double {
        guard grey.width >= 3, grey.height >= 3 else { return 0 }
        var sum = 0.0
        for y in 1..<(grey.height - 1) {
            for x in 1..<(grey.width - 1) {
                let corners = grey[x - 1, y - 1] + grey[x + 1, y - 1] + grey[x - 1, y + 1] + grey[x + 1, y + 1]
                let sides = grey[x, y - 1] + grey[x - 1, y] + grey[x + 1, y] + grey[x, y + 1]
                sum += abs(corners - 2 * sides + 4 * grey[x, y])
            }
        }
        return (Double.pi / 2).squareRoot() * sum / (6 * Double((grey.width - 2) * (grey.height - 2)))
    }

    /// Hasler and Süsstrunk (2003): with rg = R − G and yb = (R + G) / 2 − B,
    /// √(σ²rg + σ²yb) + 0.3 √(μ²rg + μ²yb).
    static func colourfulness(_ pixels: [UInt8], bands: Int) -> Double {
        let count = pixels.count / bands
        guard count > 0 else { return 0 }
        var sumRG = 0.0, sumYB = 0.0, squaresRG = 0.0, squaresYB = 0.0
        for index in 0..<count {
            let r = Double(pixels[index * bands]), g = Double(pixels[index * bands + 1]), b = Double(pixels[index * bands + 2])
            let rg = r - g, yb = (r + g) / 2 - b
            sumRG += rg
            sumYB += yb
            squaresRG += rg * rg
            squaresYB += yb * yb
        }
        let n = Double(count)
        let meanRG = sumRG / n, meanYB = sumYB / n
        let varianceRG = max(0, squaresRG / n - meanRG * meanRG), varianceYB = max(0, squaresYB / n - meanYB * meanYB)
        return (varianceRG + varianceYB).squareRoot() + 0.3 * (meanRG * meanRG + meanYB * meanYB).squareRoot()
    }
}
