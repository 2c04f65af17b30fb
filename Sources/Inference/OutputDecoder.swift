import Foundation
public import Vision
import ImageModel

/// Turns one image's output tensor into a ``Prediction``: the task's decoding, in Swift, the
/// same for every runtime.
public enum OutputDecoder {
    /// What is wrong with a network output of `shape` (for a batch of one) for `task`; nil when
    /// it fits. Checked once when the model loads.
    public static func problem(with shape: [Int], for task: ModelTask) -> String? {
        let values = shape.dropFirst().reduce(1, *)
        switch task {
        case let .classify(labels, _, _):
            return values == labels.count ? nil
                : "the output \(shape) holds \(values) scores, but the labels file has \(labels.count) labels"
        case .embed:
            return values > 0 ? nil : "the output \(shape) is empty"
        case let .detect(spec):
            switch spec.layout {
            case .yolo:
                guard shape.count == 3, shape[2] == 5 + spec.labels.count else {
                    return "a YOLO output is N × boxes × (5 + \(spec.labels.count) labels), not \(shape)"
                }
            case .ssd:
                guard shape.count == 4, shape[1] == 1, shape[3] == 7 else { return "an SSD output is N × 1 × boxes × 7, not \(shape)" }
            }
            return nil
        }
    }

    /// The prediction of `model` for one image's `output` (outermost dimension 1), whose input
    /// was `input`.
    public static func decode(_ output: Tensor, model spec: ModelSpec, input: InputTensor) -> Prediction {
        switch spec.task {
        case let .classify(labels, topK, softmax):
            return Prediction(model: spec.name, labels: classify(output.values, labels: labels, topK: topK, softmax: softmax))
        case .embed:
            return Prediction(model: spec.name, embedding: normalised(output.values))
        case let .detect(detection):
            return Prediction(model: spec.name, objects: detect(output, spec: detection, modelInput: spec.input, input: input))
        }
    }

    /// The `topK` labels by score, best first; `softmax` first turns logits into probabilities.
    public static func classify(_ scores: [Float], labels: [String], topK: Int, softmax: Bool) -> [LabelScore] {
        var scores = scores
        if softmax {
            let peak = scores.max() ?? 0
            let exps = scores.map { Float(Foundation.exp(Double($0 - peak))) }
            let sum = exps.reduce(0, +)
            scores = exps.map { $0 / sum }
        }
        return zip(labels, scores).map { LabelScore(label: $0, score: $1) }
            .enumerated().sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
            .prefix(topK).map(\.element)
    }

    /// `values` scaled to length 1 (all zeros stay zeros).
    public static func normalised(_ values: [Float]) -> [Float] {
        let length = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? values.map { $0 / length } : values
    }

    /// Boxes above the spec's score, mapped to source pixels, overlaps of one class suppressed
    /// (greedy NMS, the best first), at most the spec's count.
    static func detect(_ output: Tensor, spec: DetectionSpec, modelInput: ModelInput, input: InputTensor) -> [DetectedObject] {
        var found: [(label: Int, score: Float, box: Box)] = []
        let shape = output.shape, values = output.values
        switch spec.layout {
        case .yolo:
            let stride = shape[2]
            for index in 0..<shape[1] {
                let row = values[(index * stride)..<((index + 1) * stride)].map { $0 }
                let classes = row[5...]
                guard let best = classes.indices.max(by: { classes[$0] < classes[$1] }) else { continue }
                let score = row[4] * classes[best]
                guard score >= spec.minScore else { continue }
                found.append((best - 5, score, Box(x: row[0] - row[2] / 2, y: row[1] - row[3] / 2, width: row[2], height: row[3])))
            }
        case .ssd:
            let (w, h) = (Float(modelInput.width), Float(modelInput.height))
            for index in 0..<shape[2] {
                let row = Array(values[(index * 7)..<((index + 1) * 7)])
                let label = Int(row[1])
                guard row[2] >= spec.minScore, spec.labels.indices.contains(label) else { continue }
                found.append((label, row[2], Box(x: row[3] * w, y: row[4] * h, width: (row[5] - row[3]) * w, height: (row[6] - row[4]) * h)))
            }
        }
        let labelled = found.map { object in
            let box = object.box
            let x = (box.x - input.offset.x) * input.scale.x, y = (box.y - input.offset.y) * input.scale.y
            return DetectedObject(label: spec.labels.indices.contains(object.label) ? spec.labels[object.label] : String(object.label),
                                  score: object.score,
                                  box: Box(x: x, y: y, width: box.width * input.scale.x, height: box.height * input.scale.y))
        }
        return DetectedObject.suppressingOverlaps(labelled, overlap: spec.iou, limit: spec.maxObjects)
    }
}
