public import Scheduling

/// What a user declares about an ONNX model, read from YAML (``ModelSpec/read(file:)``): where it
/// is, what it takes, what it does and how to batch it.
public struct ModelSpec: Sendable, Equatable {
    /// The name pipelines and the API call it by.
    public var name: String
    /// The ONNX file, resolved against the spec's folder.
    public var path: String
    public var input: ModelInput
    public var task: ModelTask
    public var batch: BatchPolicy
    /// What a job running this model asks of its worker (a GPU share sends it to GPU workers).
    public var resources: ResourceRequest
    /// The network output to read; nil for its last layer's.
    public var output: String?
    /// The longest a forward pass may take before its requests fail (`timeout_ms`).
    public var timeoutMilliseconds: Int

    /// A spec from its parts.
    public init(name: String, path: String, input: ModelInput, task: ModelTask, batch: BatchPolicy = BatchPolicy(),
                resources: ResourceRequest = ResourceRequest(), output: String? = nil, timeoutMilliseconds: Int = 30_000) {
        self.name = name
        self.path = path
        self.input = input
        self.task = task
        self.batch = batch
        self.resources = resources
        self.output = output
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// How an image becomes the model's input tensor.
public struct ModelInput: Sendable, Equatable {
    /// The order of a tensor's dimensions.
    public enum Layout: String, Sendable, CaseIterable { case nchw, nhwc }
    /// How the image is brought to the input's size.
    public enum Resize: String, Sendable, CaseIterable {
        /// Squeezed to exactly the size, aspect ratio not kept (as cv::dnn::blobFromImage does).
        case fit
        /// Scaled to cover the size, then centre-cropped (resize then centre crop).
        case fill
        /// Scaled to fit inside, then padded with grey (YOLO's letterbox); boxes are mapped back.
        case letterbox
    }
    /// The order of the colour channels the model expects.
    public enum Colours: String, Sendable, CaseIterable { case rgb, bgr }

    /// The network input's name; nil when it has only one.
    public var name: String?
    public var layout: Layout
    public var width: Int
    public var height: Int
    public var resize: Resize
    public var colours: Colours
    /// Per channel, in the model's colour order, on values scaled to 0–1: (value − mean) / std.
    public var mean: [Float]
    public var std: [Float]

    /// An input description; the defaults are NCHW, squeezed, RGB, values 0–1.
    public init(name: String? = nil, layout: Layout = .nchw, width: Int, height: Int, resize: Resize = .fit,
                colours: Colours = .rgb, mean: [Float] = [0, 0, 0], std: [Float] = [1, 1, 1]) {
        self.name = name
        self.layout = layout
        self.width = width
        self.height = height
        self.resize = resize
        self.colours = colours
        self.mean = mean
        self.std = std
    }

    /// The tensor shape of a batch of `count` images.
    public func shape(batch count: Int) -> [Int] {
        layout == .nchw ? [count, 3, height, width] : [count, height, width, 3]
    }
}

/// What a model's output means.
public enum ModelTask: Sendable, Equatable {
    /// Class scores: the `topK` best labels. `softmax` turns logits into probabilities first.
    case classify(labels: [String], topK: Int, softmax: Bool)
    /// Boxes, decoded from `layout`, kept above `minScore`, overlaps above `iou` suppressed.
    case detect(DetectionSpec)
    /// A vector, L2-normalised.
    case embed

    /// The task's name as specs write it.
    public var name: String {
        switch self {
        case .classify: "classify"
        case .detect: "detect"
        case .embed: "embed"
        }
    }
}

/// How a detector's output is decoded.
public struct DetectionSpec: Sendable, Equatable {
    /// The output layouts understood.
    public enum Layout: String, Sendable, CaseIterable {
        /// YOLOv5-style: N × boxes × (cx, cy, w, h, objectness, one score per class), in input pixels.
        case yolo
        /// SSD-style (OpenCV's DetectionOutput): N × 1 × boxes × (image, class, score, x1, y1, x2,
        /// y2), corners 0–1 of the input; the class indexes the labels.
        case ssd
    }

    public var layout: Layout
    public var labels: [String]
    public var minScore: Float
    public var iou: Float
    public var maxObjects: Int

    /// A detection spec; the defaults are YOLO's usual thresholds.
    public init(layout: Layout, labels: [String], minScore: Float = 0.25, iou: Float = 0.45, maxObjects: Int = 100) {
        self.layout = layout
        self.labels = labels
        self.minScore = minScore
        self.iou = iou
        self.maxObjects = maxObjects
    }
}

/// How requests are gathered into one forward pass.
public struct BatchPolicy: Sendable, Equatable {
    /// The most images in one pass.
    public var maxSize: Int
    /// How long the first request of a batch waits for others, in milliseconds.
    public var maxWaitMilliseconds: Int

    /// A policy; the default runs each image alone.
    public init(maxSize: Int = 1, maxWaitMilliseconds: Int = 0) {
        self.maxSize = maxSize
        self.maxWaitMilliseconds = maxWaitMilliseconds
    }
}
