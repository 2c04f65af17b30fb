import Foundation

/// Colour measurements over interleaved 8-bit pixels.
struct ColorStatistics {
    let pixels: [UInt8]
    let count: Int
    let bands: Int

    /// Whether the pixels have colour (three bands or more); alpha is ignored.
    var isColour: Bool { bands >= 3 }

    /// The `limit` most common colours: pixels fall in 4096 boxes (16 levels per channel),
    /// and each box reports the mean colour of its pixels and its share.
    func dominantColors(limit: Int = 5) -> [ImageFeatures.DominantColor] {
        guard count > 0 else { return [] }
        var boxes = [(count: Int, r: Int, g: Int, b: Int)](repeating: (0, 0, 0, 0), count: 4096)
        for index in 0..<count {
            let (r, g, b) = rgb(index)
            let box = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4)
            boxes[box].count += 1
            boxes[box].r += r
            boxes[box].g += g
            boxes[box].b += b
        }
        return boxes.filter { $0.count > 0 }
            .sorted { $0.count > $1.count }
            .prefix(limit)
            .map { box in
                let hex = String(format: "#%02x%02x%02x", box.r / box.count, box.g / box.count, box.b / box.count)
                return ImageFeatures.DominantColor(hex: hex, share: Self.rounded(Double(box.count) / Double(count)))
            }
    }

    /// 32 bins per channel (`r`, `g`, `b`, or `grey`), as shares of the pixels.
    func histogram() -> ImageFeatures.Histogram {
        let names = isColour ? ["r", "g", "b"] : ["grey"]
        var bins = [[Int]](repeating: [Int](repeating: 0, count: 32), count: names.count)
        for index in 0..<count {
            for channel in 0..<names.count { bins[channel][Int(pixels[index * bands + channel]) >> 3] += 1 }
        }
        var channels: [String: [Double]] = [:]
        for (channel, name) in names.enumerated() {
            channels[name] = bins[channel].map { Self.rounded(Double($0) / Double(max(count, 1))) }
        }
        return ImageFeatures.Histogram(bins: 32, channels: channels)
    }

    private func rgb(_ index: Int) -> (Int, Int, Int) {
        let base = index * bands
        if isColour { return (Int(pixels[base]), Int(pixels[base + 1]), Int(pixels[base + 2])) }
        let grey = Int(pixels[base])
        return (grey, grey, grey)
    }

    /// Four decimals keep results readable and stable across platforms.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
