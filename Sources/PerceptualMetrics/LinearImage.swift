import Foundation

/// Linear-light RGB planes: where SSIMULACRA2 averages when it halves an image, before each
/// scale goes to XYB.
struct LinearImage {
    let red: Plane
    let green: Plane
    let blue: Plane

    var width: Int { red.width }
    var height: Int { red.height }

    /// sRGB's transfer curve, inverted, for each 8-bit value.
    private static let toLinear: [Float] = (0...255).map { value in
        let v = Double(value) / 255
        return Float(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4))
    }

    init(red: Plane, green: Plane, blue: Plane) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From interleaved 8-bit sRGB.
    init(rgb: [UInt8], width: Int, height: Int) {
        let count = width * height
        var planes = [[Float]](repeating: [Float](repeating: 0, count: count), count: 3)
        for i in 0..<count {
            planes[0][i] = Self.toLinear[Int(rgb[3 * i])]
            planes[1][i] = Self.toLinear[Int(rgb[3 * i + 1])]
            planes[2][i] = Self.toLinear[Int(rgb[3 * i + 2])]
        }
        self.init(red: Plane(width: width, height: height, values: planes[0]),
                  green: Plane(width: width, height: height, values: planes[1]),
                  blue: Plane(width: width, height: height, values: planes[2]))
    }

    /// Calls `body` with this image and each half-size copy, up to six scales, while both
    /// sides are at least 8 pixels.
    static func walkScales(_ first: LinearImage, _ body: (LinearImage) -> Void) {
        var image = first
        for scale in 0..<6 {
            guard image.width >= 8, image.height >= 8 else { return }
            body(image)
            if scale < 5 { image = image.halved() }
        }
    }

    /// Each 2×2 block averaged, in linear light.
    func halved() -> LinearImage {
        LinearImage(red: red.halved(), green: green.halved(), blue: blue.halved())
    }

    /// The cube root of a non-negative float to within a few units in the last place: a guess
    /// from the exponent bits, then three Newton steps. libm's `cbrtf` is exact but was a tenth
    /// of a quality search's time.
    @inline(__always)
    static func cubeRoot(_ value: Float) -> Float {
        guard value > 0 else { return 0 }
        var guess = Float(bitPattern: value.bitPattern / 3 + 709_921_077)
        for _ in 0..<3 { guess = (2 * guess + value / (guess * guess)) / 3 }
        return guess
    }

    /// XYB (JPEG XL's opsin space) shifted to positive values as SSIMULACRA2 does: X, Y, B.
    func positiveXYB() -> [Plane] {
        let bias: Float = 0.0037930732552754493
        let biasRoot = Self.cubeRoot(bias)
        let count = width * height
        var x = [Float](repeating: 0, count: count), y = x, b = x
        for i in 0..<count {
            let r = red.values[i], g = green.values[i], bl = blue.values[i]
            let m0 = Self.cubeRoot(max(0, 0.30 * r + 0.622 * g + 0.078 * bl + bias)) - biasRoot
            let m1 = Self.cubeRoot(max(0, 0.23 * r + 0.692 * g + 0.078 * bl + bias)) - biasRoot
            let m2 = Self.cubeRoot(max(0, 0.24342268924547819 * r + 0.20476744424496821 * g + 0.5518098665095536 * bl + bias)) - biasRoot
            let luma = 0.5 * (m0 + m1)
            x[i] = 0.5 * (m0 - m1) * 14 + 0.42
            y[i] = luma + 0.01
            b[i] = (m2 - luma) + 0.55
        }
        return [Plane(width: width, height: height, values: x), Plane(width: width, height: height, values: y),
                Plane(width: width, height: height, values: b)]
    }
}
