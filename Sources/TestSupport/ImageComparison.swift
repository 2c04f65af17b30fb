import Foundation
public import Vips

/// Compares images with a tolerance, the way golden-image tests must: never byte for byte.
public enum ImageComparison {
    /// The peak signal-to-noise ratio between two images of the same size, in dB.
    ///
    /// Both are flattened onto white and converted to 8-bit sRGB first, so a grey image and
    /// its RGB twin compare as equal. Identical images give `.infinity`.
    /// - Throws: when decoding fails or the sizes differ.
    public static func psnr(_ a: VipsImage, _ b: VipsImage) throws -> Double {
        let (pa, pb) = try comparablePixels(a, b)
        var sum = 0.0
        for i in 0..<pa.count {
            let d = Double(pa[i]) - Double(pb[i])
            sum += d * d
        }
        let mse = sum / Double(pa.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// The mean structural similarity (SSIM) of two same-sized images, on their luma,
    /// over 8×8 windows with stride 4. 1 means identical.
    /// - Throws: when decoding fails or the sizes differ.
    public static func ssim(_ a: VipsImage, _ b: VipsImage) throws -> Double {
        let (pa, pb) = try comparablePixels(a, b)
        let width = a.width, height = a.height
        func luma(_ p: [UInt8]) -> [Double] {
            var out = [Double](repeating: 0, count: width * height)
            for i in 0..<(width * height) {
                out[i] = 0.299 * Double(p[3 * i]) + 0.587 * Double(p[3 * i + 1]) + 0.114 * Double(p[3 * i + 2])
            }
            return out
        }
        let x = luma(pa), y = luma(pb)
        let c1 = (0.01 * 255.0) * (0.01 * 255.0), c2 = (0.03 * 255.0) * (0.03 * 255.0)
        let window = min(8, width, height)
        var total = 0.0, count = 0
        for top in stride(from: 0, through: height - window, by: 4) {
            for left in stride(from: 0, through: width - window, by: 4) {
                var mx = 0.0, my = 0.0
                for r in top..<(top + window) { for c in left..<(left + window) { mx += x[r * width + c]; my += y[r * width + c] } }
                let n = Double(window * window)
                mx /= n; my /= n
                var vx = 0.0, vy = 0.0, cov = 0.0
                for r in top..<(top + window) {
                    for c in left..<(left + window) {
                        let dx = x[r * width + c] - mx, dy = y[r * width + c] - my
                        vx += dx * dx; vy += dy * dy; cov += dx * dy
                    }
                }
                vx /= n - 1; vy /= n - 1; cov /= n - 1
                total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
                count += 1
            }
        }
        return count == 0 ? 1 : total / Double(count)
    }

    private static func comparablePixels(_ a: VipsImage, _ b: VipsImage) throws -> ([UInt8], [UInt8]) {
        guard a.width == b.width, a.height == b.height else {
            throw ComparisonError.sizeMismatch("\(a.width)x\(a.height) vs \(b.width)x\(b.height)")
        }
        return (try normalised(a).pixelBytes(), try normalised(b).pixelBytes())
    }

    /// 8-bit sRGB, three bands, alpha flattened onto white.
    public static func normalised(_ image: VipsImage) throws -> VipsImage {
        var image = image
        if image.interpretation != .srgb && image.interpretation != .rgb {
            image = try image.colourspace(.srgb)
        }
        image = try image.flattened(background: [255, 255, 255]).cast(to: .uchar)
        if image.bands > 3 { image = try image.bands(from: 0, count: 3) }
        return image
    }
}

/// Why two images could not be compared.
public enum ComparisonError: Error {
    case sizeMismatch(String)
}
