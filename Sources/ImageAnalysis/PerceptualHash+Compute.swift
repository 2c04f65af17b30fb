import Foundation

extension PerceptualHash {
    /// The DCT hash: the 8×8 lowest frequencies of a 32×32 grey image, each bit set when the
    /// coefficient is above their median (the DC term left out of the median, as is usual).
    static func dct(of plane: GreyPlane) -> PerceptualHash {
        let size = 32
        let small = plane.scaled(width: size, height: size)
        // Separable DCT-II, only the first 8 coefficients per direction are needed.
        var cosines = [[Double]](repeating: [Double](repeating: 0, count: size), count: 8)
        for u in 0..<8 {
            for x in 0..<size { cosines[u][x] = cos(Double((2 * x + 1) * u) * .pi / Double(2 * size)) }
        }
        var rows = [[Double]](repeating: [Double](repeating: 0, count: 8), count: size)
        for y in 0..<size {
            for u in 0..<8 {
                var total = 0.0
                for x in 0..<size { total += small[x, y] * cosines[u][x] }
                rows[y][u] = total
            }
        }
        var coefficients: [Double] = []
        coefficients.reserveCapacity(64)
        for v in 0..<8 {
            for u in 0..<8 {
                var total = 0.0
                for y in 0..<size { total += rows[y][u] * cosines[v][y] }
                coefficients.append(total)
            }
        }
        let sorted = coefficients.dropFirst().sorted()
        let median = (sorted[31] + sorted[32]) / 2
        return PerceptualHash(bits(coefficients.map { $0 > median }))
    }

    /// The difference hash: a 9×8 grey image, each bit set when a pixel is brighter than its
    /// right-hand neighbour.
    static func difference(of plane: GreyPlane) -> PerceptualHash {
        let small = plane.scaled(width: 9, height: 8)
        var flags: [Bool] = []
        for y in 0..<8 {
            for x in 0..<8 { flags.append(small[x, y] > small[x + 1, y]) }
        }
        return PerceptualHash(bits(flags))
    }

    private static func bits(_ flags: [Bool]) -> UInt64 {
        flags.reduce(UInt64(0)) { ($0 << 1) | ($1 ? 1 : 0) }
    }
}
