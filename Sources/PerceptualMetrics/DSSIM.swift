/// DSSIM, `1/SSIM − 1`, with SSIM taken in CIELAB the way Kornel Lesiński's `dssim` tool does:
/// lightness at full and half scale, and the two chroma planes at half scale (where the eye
/// resolves them). 0 for identical images, growing as they differ; imgproxy's `aq:dssim`
/// targets are on this scale.
///
/// Cheaper than ``SSIMULACRA2`` (integral images and a 7×7 window, one scale and a half), but it
/// follows viewers less closely: `bench/autoquality.py` measured a spread of 6–10 SSIMULACRA2
/// points between photos at one DSSIM target.
public enum DSSIM {
    /// An image to measure candidates against, prepared once.
    public struct Reference: Sendable {
        /// Width in pixels.
        public let width: Int
        /// Height in pixels.
        public let height: Int
        private let planes: [Plane]

        /// The planes' shares of the final SSIM: lightness dominates, as it does for the eye.
        private static let weights: [Double] = [0.5, 0.2, 0.15, 0.15]

        /// Prepares interleaved CIELAB values (L 0–100, a, b; three per pixel, row by row).
        public init(lab: [Float], width: Int, height: Int) {
            self.width = width
            self.height = height
            planes = Self.planes(lab, width: width, height: height)
        }

        /// The DSSIM of `candidate` (interleaved CIELAB, the reference's size).
        public func distance(_ candidate: [Float]) -> Double {
            precondition(candidate.count == width * height * 3, "the candidate is not the reference's size")
            let other = Self.planes(candidate, width: width, height: height)
            var similarity = 0.0
            for (index, (reference, measured)) in zip(planes, other).enumerated() {
                similarity += Self.weights[index] * DSSIM.similarity(reference, measured)
            }
            return 1 / max(similarity, 1e-6) - 1
        }

        private static func planes(_ lab: [Float], width: Int, height: Int) -> [Plane] {
            let channels = (0..<3).map { band in
                Plane(width: width, height: height, values: stride(from: band, to: lab.count, by: 3).map { lab[$0] })
            }
            return [channels[0], channels[0].halved(), channels[1].halved(), channels[2].halved()]
        }
    }

    /// Mean SSIM over every 7×7 window (the whole plane when smaller), from summed-area
    /// tables of both planes, their squares and their product.
    static func similarity(_ a: Plane, _ b: Plane) -> Double {
        let width = a.width, height = a.height
        let window = max(1, min(7, width, height))
        let stride = width + 1
        var tables = [[Double]](repeating: [Double](repeating: 0, count: stride * (height + 1)), count: 5)
        for y in 0..<height {
            var row = (0.0, 0.0, 0.0, 0.0, 0.0)
            for x in 0..<width {
                let p = Double(a.values[y * width + x]), q = Double(b.values[y * width + x])
                row = (row.0 + p, row.1 + q, row.2 + p * p, row.3 + q * q, row.4 + p * q)
                let here = (y + 1) * stride + x + 1, above = y * stride + x + 1
                tables[0][here] = tables[0][above] + row.0
                tables[1][here] = tables[1][above] + row.1
                tables[2][here] = tables[2][above] + row.2
                tables[3][here] = tables[3][above] + row.3
                tables[4][here] = tables[4][above] + row.4
            }
        }
        // Stabilisers for a 0–100 lightness scale, as SSIM's K1 = 0.01 and K2 = 0.03 give.
        let c1 = 1.0, c2 = 9.0
        let n = Double(window * window)
        var total = 0.0
        for y in 0...(height - window) {
            for x in 0...(width - window) {
                let topLeft = y * stride + x, topRight = topLeft + window
                let bottomLeft = (y + window) * stride + x, bottomRight = bottomLeft + window
                func sum(_ t: Int) -> Double { tables[t][bottomRight] - tables[t][topRight] - tables[t][bottomLeft] + tables[t][topLeft] }
                let ma = sum(0) / n, mb = sum(1) / n
                let va = max(0, sum(2) / n - ma * ma), vb = max(0, sum(3) / n - mb * mb), cov = sum(4) / n - ma * mb
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
            }
        }
        return total / Double((height - window + 1) * (width - window + 1))
    }
}
