/// An RGB image as floats (0–255), interleaved row by row: what the face networks are fed from.
struct RGBImage: Sendable {
    let width: Int
    let height: Int
    /// `width × height × 3` values.
    let values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height * 3)
        self.width = width
        self.height = height
        self.values = values
    }

    /// Interleaved 8-bit RGB bytes.
    init(bytes: [UInt8], width: Int, height: Int) {
        self.init(width: width, height: height, values: bytes.map(Float.init))
    }

    /// The pixels from column `left` to `right` and row `top` to `bottom` (inclusive; they may
    /// fall outside the image, which reads as black), resampled to `size` × `size`: each target
    /// pixel averages the source pixels under it, or takes the nearest one when enlarging.
    /// MTCNN's refinement stages look at faces cut out this way.
    func patch(left: Int, top: Int, right: Int, bottom: Int, size: Int) -> [Float] {
        resampled(left: left, top: top, width: right - left + 1, height: bottom - top + 1, to: (size, size))
    }

    /// The whole image resampled to `newWidth` × `newHeight` the same way.
    func scaled(width newWidth: Int, height newHeight: Int) -> RGBImage {
        RGBImage(width: newWidth, height: newHeight,
                 values: resampled(left: 0, top: 0, width: width, height: height, to: (newWidth, newHeight)))
    }

    private func resampled(left: Int, top: Int, width regionWidth: Int, height regionHeight: Int,
                           to size: (width: Int, height: Int)) -> [Float] {
        var result = [Float](repeating: 0, count: size.width * size.height * 3)
        guard regionWidth > 0, regionHeight > 0 else { return result }
        let stepX = Float(regionWidth) / Float(size.width), stepY = Float(regionHeight) / Float(size.height)
        for ty in 0..<size.height {
            // The source rows under this target row: at least the one nearest its centre.
            let y0 = Int(Float(ty) * stepY), y1 = max(y0 + 1, Int(Float(ty + 1) * stepY))
            for tx in 0..<size.width {
                let x0 = Int(Float(tx) * stepX), x1 = max(x0 + 1, Int(Float(tx + 1) * stepX))
                var r: Float = 0, g: Float = 0, b: Float = 0
                for sy in (top + y0)..<(top + y1) where sy >= 0 && sy < height {
                    for sx in (left + x0)..<(left + x1) where sx >= 0 && sx < width {
                        let base = (sy * width + sx) * 3
                        r += values[base]; g += values[base + 1]; b += values[base + 2]
                    }
                }
                let count = Float((y1 - y0) * (x1 - x0)), target = (ty * size.width + tx) * 3
                result[target] = r / count; result[target + 1] = g / count; result[target + 2] = b / count
            }
        }
        return result
    }
}
