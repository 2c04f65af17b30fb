public import ImageModel
package import ImageProcessing
public import Vision
import Vips

/// An image made into one item of a model's input: the tensor, and where the input's pixels
/// came from in the source, to map boxes back.
public struct InputTensor: Sendable {
    /// Shape 1 × (the input's shape).
    public var tensor: Tensor
    /// Source pixels per input pixel, and the input position of the source's top-left corner.
    public var scale: SIMD2<Float>
    public var offset: SIMD2<Float>

    /// The recipe that brings a source to the input's size, shrinking on load: squeezed (fit),
    /// covered and centre-cropped (fill), or fitted inside (letterbox, padded afterwards).
    public static func preprocess(for input: ModelInput) -> Recipe {
        let (w, h) = (input.width, input.height)
        let text = switch input.resize {
        case .fit: "rs:force:\(w):\(h):1"
        case .fill: "rs:fill:\(w):\(h):1/g:ce"
        case .letterbox: "rs:fit:\(w):\(h):1"
        }
        // Cannot fail: the sizes are validated (1...4096) and the options fixed.
        return try! Recipe(parsing: text)
    }

    /// The input tensor of `working` (decoded by ``preprocess(for:)``), from a source of
    /// `sourceWidth`×`sourceHeight`. Grey, CMYK and transparent images are converted to sRGB
    /// (transparency over white) first.
    package init(_ working: DecodedImage, sourceWidth: Int, sourceHeight: Int, input: ModelInput) throws(InferenceError) {
        do {
            var image = working.vipsImage
            if image.hasAlpha { image = try image.flattened(background: [255, 255, 255]) }
            if image.interpretation == .cmyk { image = try image.iccTransformToSRGB() }
            if image.bands != 3 || image.interpretation != .srgb { image = try image.colourspace(.srgb) }
            if image.bands > 3 { image = try image.bands(from: 0, count: 3) }
            let (w, h) = (input.width, input.height)
            let fitted = (width: image.width, height: image.height)
            var offset = SIMD2<Float>(0, 0)
            switch input.resize {
            case .letterbox:
                // YOLO's grey, centred.
                let x = (w - fitted.width) / 2, y = (h - fitted.height) / 2
                image = try image.embedded(x: x, y: y, width: w, height: h, background: [114, 114, 114])
                offset = SIMD2(Float(x), Float(y))
            case .fit, .fill:
                // Shrink-on-load can land a pixel off the size: squeeze the rest.
                if fitted.width != w || fitted.height != h {
                    image = try image.resized(horizontal: Double(w) / Double(fitted.width), vertical: Double(h) / Double(fitted.height))
                    if image.width != w || image.height != h { image = try image.extracted(left: 0, top: 0, width: w, height: h) }
                }
            }
            let (sx, sy) = (Float(sourceWidth), Float(sourceHeight))
            switch input.resize {
            case .fit:
                scale = SIMD2(sx / Float(w), sy / Float(h))
            case .fill:
                let factor = max(Float(w) / sx, Float(h) / sy)
                scale = SIMD2(1 / factor, 1 / factor)
                offset = -SIMD2((sx * factor - Float(w)) / 2, (sy * factor - Float(h)) / 2)
            case .letterbox:
                scale = SIMD2(sx / Float(fitted.width), sy / Float(fitted.height))
            }
            self.offset = offset
            tensor = Self.tensor(try image.pixelBytes(), input: input)
        } catch {
            throw .unusableImage("cannot be made into the model's input: \(error)")
        }
    }

    /// Interleaved RGB bytes, w×h, as the input's layout, colour order and normalisation.
    static func tensor(_ pixels: [UInt8], input: ModelInput) -> Tensor {
        let count = input.width * input.height
        precondition(pixels.count == count * 3, "a tensor needs 3 bytes a pixel")
        var values = [Float](repeating: 0, count: count * 3)
        let order = input.colours == .rgb ? [0, 1, 2] : [2, 1, 0]
        for channel in 0..<3 {
            let source = order[channel]
            let mean = input.mean[channel], std = input.std[channel]
            for pixel in 0..<count {
                let value = (Float(pixels[pixel * 3 + source]) / 255 - mean) / std
                values[input.layout == .nchw ? channel * count + pixel : pixel * 3 + channel] = value
            }
        }
        return Tensor(shape: input.shape(batch: 1), values: values)
    }
}
