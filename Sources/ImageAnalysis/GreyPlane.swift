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
}
