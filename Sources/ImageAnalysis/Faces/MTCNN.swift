import Foundation
import ImageModel
import Vision

/// MTCNN: a proposal network over an image pyramid, then two networks that refine and score
/// the proposals, the last one with five landmarks.
///
/// The networks were converted from a column-major original: every input is x before y
/// (N × width × height × 3), and the proposal map comes back the same way.
final class MTCNN: FaceEngine {
    let proposal: NeuralNetwork
    let refine: NeuralNetwork
    let output: NeuralNetwork
    /// The smallest face looked for, in working pixels.
    let minimumFace: Int
    /// Each stage's score threshold.
    let thresholds: (Float, Float, Float)

    /// Pyramid levels are this much smaller than the one before.
    static let pyramidFactor: Float = 0.709

    init(files: [String], minimumFace: Int, thresholds: (Float, Float, Float)) throws(VisionError) {
        proposal = try NeuralNetwork(onnxFile: files[0])
        refine = try NeuralNetwork(onnxFile: files[1])
        output = try NeuralNetwork(onnxFile: files[2])
        self.minimumFace = minimumFace
        self.thresholds = thresholds
    }

    /// A box in working pixels (corners inclusive, as the original computes them), its score
    /// and the regression that moves its corners.
    struct Candidate {
        var x1: Float, y1: Float, x2: Float, y2: Float
        var score: Float
        var shift: [Float] = [0, 0, 0, 0]
        var landmarks: [Landmark]?

        var area: Float { (x2 - x1 + 1) * (y2 - y1 + 1) }

        /// The corners moved by `shift` fractions of the size; `inclusive` counts the last pixel.
        mutating func regress(inclusive: Bool) {
            let extra: Float = inclusive ? 1 : 0
            let w = x2 - x1 + extra, h = y2 - y1 + extra
            (x1, y1, x2, y2) = (x1 + shift[0] * w, y1 + shift[1] * h, x2 + shift[2] * w, y2 + shift[3] * h)
        }

        /// Grown to the square on its longer side, about the same centre.
        mutating func square() {
            let w = x2 - x1, h = y2 - y1, side = max(w, h)
            x1 += w / 2 - side / 2
            y1 += h / 2 - side / 2
            (x2, y2) = (x1 + side, y1 + side)
        }

        mutating func truncate() { (x1, y1, x2, y2) = (x1.rounded(.towardZero), y1.rounded(.towardZero), x2.rounded(.towardZero), y2.rounded(.towardZero)) }
    }

    func faces(in image: RGBImage) throws(VisionError) -> [DetectedObject] {
        var candidates = try propose(in: image)
        guard !candidates.isEmpty else { return [] }
        candidates = try refined(candidates, in: image)
        guard !candidates.isEmpty else { return [] }
        candidates = try scored(candidates, in: image)
        return candidates.map { candidate in
            let left = max(0, candidate.x1), top = max(0, candidate.y1)
            return DetectedObject(label: "face", score: candidate.score,
                                  box: Box(x: left, y: top, width: candidate.x2 - left, height: candidate.y2 - top),
                                  landmarks: candidate.landmarks)
        }
    }

    /// Stage 1: the proposal network at every pyramid level down to 12 pixels.
    private func propose(in image: RGBImage) throws(VisionError) -> [Candidate] {
        var scale = 12 / Float(minimumFace)
        var shortest = Float(min(image.width, image.height)) * scale
        var all: [Candidate] = []
        while shortest >= 12 {
            let width = Int((Float(image.width) * scale).rounded(.up)), height = Int((Float(image.height) * scale).rounded(.up))
            let level = image.scaled(width: width, height: height)
            let results = try proposal.forward(Tensor(shape: [1, width, height, 3], values: Self.normalisedColumnMajor(level.values, width: width, height: height)),
                                               outputs: ["conv2d_4", "softmax"])
            let (shifts, scores) = (results[0].values, results[1].values)
            let columns = results[1].shape[1], rows = results[1].shape[2]
            var level_candidates: [Candidate] = []
            for column in 0..<columns {
                for row in 0..<rows {
                    let cell = column * rows + row
                    let score = scores[2 * cell + 1]
                    guard score >= thresholds.0 else { continue }
                    // Each cell is a 12-pixel window, 2 pixels apart, in this level's pixels.
                    level_candidates.append(Candidate(
                        x1: ((2 * Float(column) + 1) / scale).rounded(.towardZero), y1: ((2 * Float(row) + 1) / scale).rounded(.towardZero),
                        x2: ((2 * Float(column) + 12) / scale).rounded(.towardZero), y2: ((2 * Float(row) + 12) / scale).rounded(.towardZero),
                        score: score, shift: Array(shifts[(4 * cell)..<(4 * cell + 4)])))
                }
            }
            all += Self.suppressed(level_candidates, overlap: 0.5, byMinimum: false)
            scale *= Self.pyramidFactor
            shortest *= Self.pyramidFactor
        }
        var kept = Self.suppressed(all, overlap: 0.7, byMinimum: false)
        for index in kept.indices {
            kept[index].regress(inclusive: false)
            kept[index].square()
            kept[index].truncate()
        }
        return kept
    }

    /// Stage 2: each proposal at 24×24 through the refinement network.
    private func refined(_ candidates: [Candidate], in image: RGBImage) throws(VisionError) -> [Candidate] {
        let results = try refine.forward(batch(candidates, in: image, size: 24), outputs: ["dense_2", "softmax_1"])
        var kept: [Candidate] = []
        for (index, var candidate) in candidates.enumerated() where results[1].values[2 * index + 1] > thresholds.1 {
            candidate.score = results[1].values[2 * index + 1]
            candidate.shift = Array(results[0].values[(4 * index)..<(4 * index + 4)])
            kept.append(candidate)
        }
        kept = Self.suppressed(kept, overlap: 0.7, byMinimum: false)
        for index in kept.indices {
            kept[index].regress(inclusive: true)
            kept[index].square()
        }
        return kept
    }

    /// Stage 3: each at 48×48 through the output network, which scores it again and places
    /// the landmarks.
    private func scored(_ candidates: [Candidate], in image: RGBImage) throws(VisionError) -> [Candidate] {
        let boxes = candidates.map { candidate -> Candidate in
            var candidate = candidate
            candidate.truncate()
            return candidate
        }
        let results = try output.forward(batch(boxes, in: image, size: 48), outputs: ["dense_5", "dense_6", "softmax_2"])
        var kept: [Candidate] = []
        for (index, var candidate) in boxes.enumerated() where results[2].values[2 * index + 1] > thresholds.2 {
            candidate.score = results[2].values[2 * index + 1]
            candidate.shift = Array(results[0].values[(4 * index)..<(4 * index + 4)])
            let points = results[1].values[(10 * index)..<(10 * index + 10)].map { $0 }
            let w = candidate.x2 - candidate.x1 + 1, h = candidate.y2 - candidate.y1 + 1
            candidate.landmarks = zip(FaceDetector.landmarkNames, 0..<5).map { name, point in
                Landmark(name: name, x: w * points[point] + candidate.x1 - 1, y: h * points[5 + point] + candidate.y1 - 1)
            }
            candidate.regress(inclusive: true)
            kept.append(candidate)
        }
        return Self.suppressed(kept, overlap: 0.7, byMinimum: true)
    }

    /// The candidates' pixels, each resampled to `size` square and normalised, as one batch.
    private func batch(_ candidates: [Candidate], in image: RGBImage, size: Int) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(candidates.count * size * size * 3)
        for candidate in candidates {
            // The original's corners are 1-based.
            let patch = image.patch(left: Int(candidate.x1) - 1, top: Int(candidate.y1) - 1,
                                    right: Int(candidate.x2) - 1, bottom: Int(candidate.y2) - 1, size: size)
            values += Self.normalisedColumnMajor(patch, width: size, height: size)
        }
        return Tensor(shape: [candidates.count, size, size, 3], values: values)
    }

    /// Row-major interleaved RGB turned x-major, scaled to about -1…1 as the networks were trained.
    static func normalisedColumnMajor(_ values: [Float], width: Int, height: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                let source = (y * width + x) * 3, target = (x * height + y) * 3
                for channel in 0..<3 { result[target + channel] = (values[source + channel] - 127.5) * 0.0078125 }
            }
        }
        return result
    }

    /// Greedy suppression, the best first; the overlap is over the union or, for the last stage,
    /// over the smaller box (which drops a small box inside a large one).
    static func suppressed(_ candidates: [Candidate], overlap: Float, byMinimum: Bool) -> [Candidate] {
        var kept: [Candidate] = []
        for candidate in candidates.sorted(by: { $0.score > $1.score }) {
            let clashes = kept.contains { other in
                let w = max(0, min(other.x2, candidate.x2) - max(other.x1, candidate.x1) + 1)
                let h = max(0, min(other.y2, candidate.y2) - max(other.y1, candidate.y1) + 1)
                let intersection = w * h
                let base = byMinimum ? min(other.area, candidate.area) : other.area + candidate.area - intersection
                return base > 0 && intersection / base > overlap
            }
            if !clashes { kept.append(candidate) }
        }
        return kept
    }
}
