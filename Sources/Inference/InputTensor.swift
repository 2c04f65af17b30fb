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

    /// The recipe that brings a source near the input's size, shrinking on load: squeezed (fit),
    /// covering it (fill, cropped afterwards), or fitted inside (letterbox, padded afterwards).
    public static func preprocess(for input: ModelInput) -> Recipe {
        let (w, h) = (input.width, input.height)
        let text = switch input.resize {
        case .fit: "rs:force:\(w):\(h):1"
        // Shrunk without a crop (the tensor's own crop keeps track of where it cut), to within
        // 4× of the input, which covers it unless the image is far longer than the input.
        case .fill: "rs:fit:\(4 * w):\(4 * h):0"
        case .letterbox: "rs:fit:\(w):\(h):1"
        }
        // Cannot fail: the sizes are validated (1...4096) and the options fixed.
        return try! Recipe(parsing: text)
    }

    /// The input tensor of `working`, a decoded image of any size (the pipeline's working
    /// image, or one decoded by ``preprocess(for:)``) from a source of `sourceWidth`×`sourceHeight`.
    /// Grey, CMYK and transparent images are converted to sRGB (transparency over white) first.
    package init(_ working: DecodedImage, sourceWidth: Int, sourceHeight: Int, input: ModelInput) throws(InferenceError) {
        do {
            var image = try working.vipsImage.opaqueSRGB()
            let (w, h) = (input.width, input.height)
            let (width, height) = (Double(image.width), Double(image.height))
            // Source pixels per working pixel: the working image may itself be a shrunk copy.
            let perWorking = SIMD2(Float(sourceWidth) / Float(width), Float(sourceHeight) / Float(height))
            let factors: (x: Double, y: Double)
            switch input.resize {
            case .fit: factors = (Double(w) / width, Double(h) / height)
            case .fill: let f = max(Double(w) / width, Double(h) / height); factors = (f, f)
            case .letterbox: let f = min(Double(w) / width, Double(h) / height); factors = (f, f)
            }
            if factors.x != 1 || factors.y != 1 { image = try image.resized(horizontal: factors.x, vertical: factors.y) }
            // Where the resized image's top-left corner lands in the input: centred, cropped (fill)
            // or padded with YOLO's grey (letterbox).
            let left = (w - image.width) / 2, top = (h - image.height) / 2
            if left < 0 || top < 0 {
                image = try image.extracted(left: max(0, -left), top: max(0, -top), width: min(w, image.width), height: min(h, image.height))
            }
            if image.width != w || image.height != h {
                image = try image.embedded(x: max(0, left), y: max(0, top), width: w, height: h, background: [114, 114, 114])
            }
            scale = perWorking / SIMD2(Float(factors.x), Float(factors.y))
            offset = SIMD2(Float(left), Float(top))
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
