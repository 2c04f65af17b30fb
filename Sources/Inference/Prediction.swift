public import ImageModel

/// What a model says about one image, as a job result and the API give it: `labels` for a
/// classifier, `objects` for a detector, `embedding` for an embedder.
public struct Prediction: Sendable, Equatable, Codable {
    public var model: String
    public var labels: [LabelScore]?
    public var objects: [DetectedObject]?
    public var embedding: [Float]?

    /// A prediction of `model`.
    public init(model: String, labels: [LabelScore]? = nil, objects: [DetectedObject]? = nil, embedding: [Float]? = nil) {
        self.model = model
        self.labels = labels
        self.objects = objects
        self.embedding = embedding
    }
}

/// A class and its score.
public struct LabelScore: Sendable, Equatable, Codable {
    public var label: String
    public var score: Float

    public init(label: String, score: Float) {
        self.label = label
        self.score = score
    }
}
