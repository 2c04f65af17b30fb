import ImageModel
public import Inference

/// `label: {name: unsafe, min_score: 0.8, action: reject}`: what a pipeline does when one of its
/// models gives a label at least that score (a moderation gate, a defect class).
public struct LabelCheck: Sendable, Equatable {
    /// The label looked for, among every model's labels and objects.
    public let label: String
    /// The model to look at; nil for any of the pipeline's.
    public let model: String?
    public let minScore: Float
    /// `flag` adds `label:NAME` to the flags; `reject` makes no outputs.
    public let action: PipelineCheck.Action

    /// A check.
    public init(label: String, model: String? = nil, minScore: Float = 0.5, action: PipelineCheck.Action = .flag) {
        self.label = label
        self.model = model
        self.minScore = minScore
        self.action = action
    }

    /// Whether `predictions` trip it: the label scored at least `minScore` as a class or an object.
    public func isTripped(by predictions: [Prediction]) -> Bool {
        predictions.contains { prediction in
            guard model == nil || prediction.model == model else { return false }
            return (prediction.labels ?? []).contains { $0.label == label && $0.score >= minScore }
                || (prediction.objects ?? []).contains { $0.label == label && $0.score >= minScore }
        }
    }

    /// The flag a tripped `flag` check adds.
    public var flag: String { "label:\(label)" }
}
