public import Foundation
import ImageModel
public import ImageProcessing
import Vips
import Vision

/// A model-agnostic explanation of one classification: a grey patch slides over the input, and
/// each place's value is how much hiding it lowers the score of the class the model chose
/// (Zeiler and Fergus, 2014). The occluded copies run through the model in batches, like any
/// other requests.
public struct OcclusionMap: Sendable, Equatable, Codable {
    /// The class explained and its score on the whole image.
    public var label: String
    public var score: Float
    /// The patch's side and step, in input pixels.
    public var patch: Int
    public var stride: Int
    /// Score drops (clipped at 0) per patch position, row by row: `rows` × `columns`.
    public var rows: Int
    public var columns: Int
    public var drops: [[Float]]

    /// The patch position whose hiding costs the most, as its centre in input pixels.
    public var peak: SIMD2<Float> {
        var best = (row: 0, column: 0, drop: -Float.infinity)
        for (row, values) in drops.enumerated() {
            for (column, drop) in values.enumerated() where drop > best.drop { best = (row, column, drop) }
        }
        return SIMD2(Float(best.column * stride) + Float(patch) / 2, Float(best.row * stride) + Float(patch) / 2)
    }

    /// The map of `model`'s top class for `input`; `patch` defaults to an eighth of the input's
    /// shorter side, moved by half of itself.
    /// - Throws: ``InferenceError`` (the model is not a classifier, a pass failed).
    public static func compute(model: LoadedModel, input: InputTensor, patch: Int? = nil) async throws -> OcclusionMap {
        guard case let .classify(labels, _, softmax) = model.spec.task else {
            throw InferenceError.unusableImage("an occlusion map explains a classifier; '\(model.spec.name)' is \(model.spec.task.name)")
        }
        let spec = model.spec.input
        let side = max(2, patch ?? min(spec.width, spec.height) / 8)
        let step = max(1, side / 2)
        let base = try await model.forward([input.tensor])[0]
        let scores = OutputDecoder.classify(base.values, labels: labels, topK: labels.count, softmax: softmax)
        let top = scores[0]
        let target = labels.firstIndex(of: top.label)!
        let columns = (spec.width - side) / step + 1, rows = (spec.height - side) / step + 1
        // The grey a patch is filled with, per channel, normalised as the input is.
        let grey = (0..<3).map { (0.5 - spec.mean[$0]) / spec.std[$0] }
        // The occluded copies are made a pass at a time, so memory holds one batch of them.
        let positions = (0..<rows).flatMap { row in (0..<columns).map { (row, $0) } }
        var drops: [Float] = []
        for start in Swift.stride(from: 0, to: positions.count, by: max(1, model.spec.batch.maxSize)) {
            let slice = positions[start..<min(positions.count, start + max(1, model.spec.batch.maxSize))]
            let occluded = slice.map { row, column in
                Self.occlude(input.tensor, spec: spec, left: column * step, top: row * step, side: side, grey: grey)
            }
            drops += try await model.forward(occluded).map { output in
                max(0, top.score - OutputDecoder.classify(output.values, labels: labels, topK: labels.count, softmax: softmax)
                    .first { $0.label == labels[target] }!.score)
            }
        }
        return OcclusionMap(label: top.label, score: top.score, patch: side, stride: step, rows: rows, columns: columns,
                            drops: (0..<rows).map { Array(drops[($0 * columns)..<(($0 + 1) * columns)]) })
    }

    /// `tensor` with a `side`-pixel square at (`left`, `top`) set to `grey`.
    static func occlude(_ tensor: Tensor, spec: ModelInput, left: Int, top: Int, side: Int, grey: [Float]) -> Tensor {
        var copy = tensor
        let (w, h) = (spec.width, spec.height)
        for y in top..<min(h, top + side) {
            for x in left..<min(w, left + side) {
                for channel in 0..<3 {
                    let index = spec.layout == .nchw ? (channel * h + y) * w + x : (y * w + x) * 3 + channel
                    copy.values[index] = grey[channel]
                }
            }
        }
        return copy
    }

    /// The map drawn over `source` (the image `input` was made from) as a PNG, on a copy of at
    /// most 1024 pixels a side decoded by `processor`: red where hiding the patch costs the
    /// most, transparent where it costs nothing.
    public func heatmap(over source: ImageSource, input: InputTensor, processor: ImageProcessor) async throws -> Data {
        // Cannot fail: a fixed, valid recipe.
        let copy = try! Recipe(parsing: "rs:fit:1024:1024:0")
        return try await processor.derive(source, preprocess: copy, inspect: { working, header in
            try self.overlay(on: working, input: input, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight)
        }, outputs: { _ in [] }).inspection
    }

    /// The map drawn over `image` (decoded from the source the input came from, at any size) as
    /// a PNG.
    func overlay(on image: DecodedImage, input: InputTensor, sourceWidth: Int, sourceHeight: Int) throws -> Data {
        // The map at the input's resolution: each pixel the mean drop of the patches covering it.
        let spec = (width: columns * stride + patch - stride, height: rows * stride + patch - stride)
        var sums = [Float](repeating: 0, count: spec.width * spec.height), counts = sums
        for row in 0..<rows {
            for column in 0..<columns {
                for y in (row * stride)..<(row * stride + patch) {
                    for x in (column * stride)..<(column * stride + patch) {
                        sums[y * spec.width + x] += drops[row][column]
                        counts[y * spec.width + x] += 1
                    }
                }
            }
        }
        let means = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
        let peak = max(means.max() ?? 0, 1e-6)
        var pixels = [UInt8](repeating: 0, count: spec.width * spec.height * 4)
        for (index, value) in means.enumerated() {
            let strength = value / peak
            pixels[index * 4] = 255
            pixels[index * 4 + 1] = UInt8(clamping: Int(200 * (1 - strength)))
            pixels[index * 4 + 3] = UInt8(clamping: Int(200 * strength))
        }
        var heat = try VipsImage.fromPixels(pixels, width: spec.width, height: spec.height, bands: 4)
        // Input pixels → source pixels → the decoded image's pixels.
        let toImage = SIMD2(Float(image.width) / Float(sourceWidth), Float(image.height) / Float(sourceHeight))
        let scale = input.scale * toImage
        heat = try heat.resized(horizontal: Double(scale.x), vertical: Double(scale.y))
        let origin = -input.offset * scale
        var base = image.vipsImage
        if base.hasAlpha { base = try base.flattened(background: [255, 255, 255]) }
        if base.bands != 3 { base = try base.colourspace(.srgb) }
        let drawn = try base.composited(over: heat, x: Int(origin.x.rounded()), y: Int(origin.y.rounded()))
        return try drawn.encoded(.png(compression: 6, palette: false, quality: 100, interlace: false, strip: true))
    }
}
