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

/// A detected object: its class, score and box in source pixels.
public struct DetectedObject: Sendable, Equatable, Codable {
    public var label: String
    public var score: Float
    public var box: Box

    public init(label: String, score: Float, box: Box) {
        self.label = label
        self.score = score
        self.box = box
    }
}

/// An axis-aligned box: left, top, width and height.
public struct Box: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Intersection over union: 0 for disjoint boxes, 1 for the same box.
    public func iou(_ other: Box) -> Float {
        let left = max(x, other.x), right = min(x + width, other.x + other.width)
        let top = max(y, other.y), bottom = min(y + height, other.y + other.height)
        let intersection = max(0, right - left) * max(0, bottom - top)
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }
}
