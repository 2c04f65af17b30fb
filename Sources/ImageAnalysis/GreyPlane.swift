import Vision

/// A grey image as plain numbers (0–255), for the measurements that libvips does not make.
struct GreyPlane: Sendable {
    let width: Int
    let height: Int
    /// Row by row.
    let values: [Double]

    init(width: Int, height: Int, values: [Double]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    /// Luma (Rec. 601 weights) of interleaved 8-bit pixels; one or two bands are grey (+ alpha).
    init(pixels: [UInt8], width: Int, height: Int, bands: Int) {
        var values = [Double](repeating: 0, count: width * height)
        for index in 0..<(width * height) {
            let base = index * bands
            if bands >= 3 {
                values[index] = 0.299 * Double(pixels[base]) + 0.587 * Double(pixels[base + 1]) + 0.114 * Double(pixels[base + 2])
            } else {
                values[index] = Double(pixels[base])
            }
        }
        self.init(width: width, height: height, values: values)
    }

    subscript(x: Int, y: Int) -> Double { values[y * width + x] }

    /// The values rounded to bytes, row by row: the plain plane OpenCV takes.
    var pixels: GreyPixels { GreyPixels(width: width, height: height, bytes: values.map { UInt8(clamping: Int($0.rounded())) }) }

    /// Area-averaged to `newWidth` × `newHeight` (aspect ratio not kept): each target pixel is
    /// the mean of the source pixels that fall in it, so shrinking never aliases.
    func scaled(width newWidth: Int, height newHeight: Int) -> GreyPlane {
        var sums = [Double](repeating: 0, count: newWidth * newHeight)
        var counts = [Double](repeating: 0, count: newWidth * newHeight)
        for y in 0..<height {
            let targetY = min(newHeight - 1, y * newHeight / height)
            for x in 0..<width {
                let target = targetY * newWidth + min(newWidth - 1, x * newWidth / width)
                sums[target] += values[y * width + x]
                counts[target] += 1
            }
        }
        // Enlarging leaves gaps: fill each from the nearest source pixel instead.
        let values = (0..<(newWidth * newHeight)).map { index in
            if counts[index] > 0 { return sums[index] / counts[index] }
            let x = (index % newWidth) * width / newWidth, y = (index / newWidth) * height / newHeight
            return self[x, y]
        }
        return GreyPlane(width: newWidth, height: newHeight, values: values)
    }

    /// Variance of the 4-neighbour Laplacian over the interior: sharp edges give large values,
    /// blur gives small ones. Zero for images under 3×3.
    var laplacianVariance: Double {
        guard width >= 3, height >= 3 else { return 0 }
        var sum = 0.0, sumOfSquares = 0.0
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let laplacian = self[x - 1, y] + self[x + 1, y] + self[x, y - 1] + self[x, y + 1] - 4 * self[x, y]
                sum += laplacian
                sumOfSquares += laplacian * laplacian
            }
        }
        let count = Double((width - 2) * (height - 2))
        let mean = sum / count
        return sumOfSquares / count - mean * mean
    }

    /// Mean and standard deviation of the values.
    var meanAndDeviation: (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(max(1, values.count))
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count))
        return (mean, variance.squareRoot())
    }

    /// The plane flipped left to right.
    func mirrored() -> GreyPlane {
        var flipped = values
        for y in 0..<height {
            for x in 0..<width { flipped[y * width + x] = values[y * width + (width - 1 - x)] }
        }
        return GreyPlane(width: width, height: height, values: flipped)
    }

    /// The plane without the flat margins around it (a frame, a letterbox, and an even sky or
    /// wall behind them), each side trimmed by at most a quarter. Flat bands are trimmed whatever
    /// their colour, so that a photo and the same photo in a frame trim to the same content.
    func trimmingUniformBorders() -> GreyPlane {
        func isFlat(_ line: [Double]) -> Bool {
            let mean = line.reduce(0, +) / Double(line.count)
            return line.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(line.count) < 36
        }
        func row(_ y: Int) -> [Double] { Array(values[(y * width)..<((y + 1) * width)]) }
        func column(_ x: Int, _ rows: ClosedRange<Int>) -> [Double] { rows.map { self[x, $0] } }
        guard width >= 8, height >= 8 else { return self }
        var top = 0, bottom = height - 1, left = 0, right = width - 1
        while top < height / 4, isFlat(row(top)) { top += 1 }
        while bottom > height * 3 / 4, isFlat(row(bottom)) { bottom -= 1 }
        while left < width / 4, isFlat(column(left, top...bottom)) { left += 1 }
        while right > width * 3 / 4, isFlat(column(right, top...bottom)) { right -= 1 }
        if top == 0, left == 0, bottom == height - 1, right == width - 1 { return self }
        let newWidth = right - left + 1, newHeight = bottom - top + 1
        var cropped: [Double] = []
        cropped.reserveCapacity(newWidth * newHeight)
        for y in top...bottom { cropped += values[(y * width + left)...(y * width + right)] }
        return GreyPlane(width: newWidth, height: newHeight, values: cropped)
    }

    /// Mean brightness in `rings` concentric rings of the plane scaled to 64×64, from the centre
    /// out, standardised: it does not change when the image turns about its centre.
    func ringProfile(rings: Int = 8) -> [Double] {
        let size = 64
        let small = scaled(width: size, height: size)
        var sums = [Double](repeating: 0, count: rings), counts = [Double](repeating: 0, count: rings)
        let centre = Double(size - 1) / 2
        for y in 0..<size {
            for x in 0..<size {
                let radius = ((Double(x) - centre) * (Double(x) - centre) + (Double(y) - centre) * (Double(y) - centre)).squareRoot()
                let ring = Int(radius / (Double(size) / 2) * Double(rings))
                guard ring < rings else { continue }
                sums[ring] += small[x, y]
                counts[ring] += 1
            }
        }
        let means = zip(sums, counts).map { $0 / max(1, $1) }
        let mean = means.reduce(0, +) / Double(rings)
        let deviation = (means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rings)).squareRoot()
        guard deviation > 1e-6 else { return [Double](repeating: 0, count: rings) }
        return means.map { ($0 - mean) / deviation }
    }
}
