import Foundation
import Scheduling
import SpecReading
import Yams

extension ModelSpec {
    /// The spec in the YAML file at `path`; the model and labels files it names are resolved
    /// against the spec's folder and the labels are read.
    /// - Throws: ``InferenceError/invalidSpec(file:field:expected:)`` naming the field.
    public static func read(file path: String) throws(InferenceError) -> ModelSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidSpec(file: path, field: SpecNodes<InferenceError>.document, expected: "a readable file")
        }
        return try ModelSpecReader(file: path).read(String(decoding: data, as: UTF8.self))
    }
}

/// Walks a model spec's YAML field by field (``SpecNodes``).
struct ModelSpecReader {
    let file: String
    let folder: String
    let nodes: SpecNodes<InferenceError>

    init(file: String) {
        self.file = file
        folder = (file as NSString).deletingLastPathComponent
        nodes = SpecNodes { field, expected in .invalidSpec(file: file, field: field, expected: expected) }
    }

    func read(_ text: String) throws(InferenceError) -> ModelSpec {
        let fields = try nodes.document(text, allowed: ["name", "path", "input", "task", "batch", "resources", "output", "timeout_ms"],
                                        expected: "a mapping with name, path, input and task")
        let name = try nodes.string(fields["name"], "name", required: true)!
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
            throw nodes.fail("name", "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        let path = resolve(try nodes.string(fields["path"], "path", required: true)!)
        guard FileManager.default.isReadableFile(atPath: path) else { throw nodes.fail("path", "a readable ONNX file, not \(path)") }
        guard let inputNode = fields["input"] else { throw nodes.fail("input", "a value (it is required)") }
        guard let taskNode = fields["task"] else { throw nodes.fail("task", "a value (it is required)") }
        let timeout = try nodes.integer(fields["timeout_ms"], "timeout_ms") ?? 30_000
        guard (1...600_000).contains(timeout) else { throw nodes.fail("timeout_ms", "1...600000 milliseconds") }
        return ModelSpec(name: name, path: path, input: try input(inputNode), task: try task(taskNode),
                         batch: try batch(fields["batch"]), resources: try nodes.resources(fields["resources"], "resources") ?? ResourceRequest(),
                         output: try nodes.string(fields["output"], "output"), timeoutMilliseconds: timeout)
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    private func input(_ node: Node) throws(InferenceError) -> ModelInput {
        let fields = try nodes.mapping(node, "input", allowed: ["name", "layout", "width", "height", "resize", "colours", "mean", "std"])
        func side(_ name: String) throws(InferenceError) -> Int {
            guard let value = try nodes.integer(fields[name], "input.\(name)") else { throw nodes.fail("input.\(name)", "a value (it is required)") }
            guard (1...4096).contains(value) else { throw nodes.fail("input.\(name)", "1...4096 pixels") }
            return value
        }
        func triple(_ name: String, _ fallback: [Float]) throws(InferenceError) -> [Float] {
            let items = try nodes.sequence(fields[name], "input.\(name)")
            guard fields[name] != nil else { return fallback }
            guard items.count == 3 else { throw nodes.fail("input.\(name)", "3 numbers, one per channel") }
            var values: [Float] = []
            for (index, item) in items.enumerated() { values.append(Float(try nodes.number(item, "input.\(name)[\(index)]")!)) }
            return values
        }
        let std = try triple("std", [1, 1, 1])
        guard std.allSatisfy({ $0 > 0 }) else { throw nodes.fail("input.std", "3 numbers above 0") }
        return ModelInput(name: try nodes.string(fields["name"], "input.name"),
                          layout: try nodes.choice(fields["layout"], "input.layout", of: ModelInput.Layout.self) ?? .nchw,
                          width: try side("width"), height: try side("height"),
                          resize: try nodes.choice(fields["resize"], "input.resize", of: ModelInput.Resize.self) ?? .fit,
                          colours: try nodes.choice(fields["colours"], "input.colours", of: ModelInput.Colours.self) ?? .rgb,
                          mean: try triple("mean", [0, 0, 0]), std: std)
    }

    /// `embed`, `{classify: {labels, top_k, softmax}}` or `{detect: {layout, labels, min_score, iou, max_objects}}`.
    private func task(_ node: Node) throws(InferenceError) -> ModelTask {
        if let name = node.string, case .scalar = node {
            guard name == "embed" else { throw nodes.fail("task", "embed, {classify: …} or {detect: …}, not '\(name)'") }
            return .embed
        }
        let fields = try nodes.mapping(node, "task", allowed: ["classify", "detect", "embed"])
        guard fields.count == 1, let (kind, body) = fields.first else { throw nodes.fail("task", "exactly one of classify, detect, embed") }
        switch kind {
        case "classify":
            let options = try nodes.mapping(body, "task.classify", allowed: ["labels", "top_k", "softmax"])
            let labels = try labels(options["labels"], "task.classify.labels")
            let topK = try nodes.integer(options["top_k"], "task.classify.top_k") ?? min(5, labels.count)
            guard (1...labels.count).contains(topK) else { throw nodes.fail("task.classify.top_k", "1...\(labels.count) (the labels)") }
            var softmax = false
            if let node = options["softmax"] {
                guard let value = node.bool else { throw nodes.fail("task.classify.softmax", "true or false") }
                softmax = value
            }
            return .classify(labels: labels, topK: topK, softmax: softmax)
        case "detect":
            let options = try nodes.mapping(body, "task.detect", allowed: ["layout", "labels", "min_score", "iou", "max_objects"])
            guard let layout = try nodes.choice(options["layout"], "task.detect.layout", of: DetectionSpec.Layout.self) else {
                throw nodes.fail("task.detect.layout", "a value (it is required): yolo or ssd")
            }
            func fraction(_ name: String, _ fallback: Float) throws(InferenceError) -> Float {
                guard let value = try nodes.number(options[name], "task.detect.\(name)") else { return fallback }
                guard (0...1).contains(value) else { throw nodes.fail("task.detect.\(name)", "a number in 0...1") }
                return Float(value)
            }
            let maxObjects = try nodes.integer(options["max_objects"], "task.detect.max_objects") ?? 100
            guard (1...10_000).contains(maxObjects) else { throw nodes.fail("task.detect.max_objects", "1...10000") }
            return .detect(DetectionSpec(layout: layout, labels: try labels(options["labels"], "task.detect.labels"),
                                         minScore: try fraction("min_score", 0.25), iou: try fraction("iou", 0.45),
                                         maxObjects: maxObjects))
        default:
            return .embed
        }
    }

    /// Labels: a list, or a file of one label a line (resolved against the spec's folder).
    private func labels(_ node: Node?, _ field: String) throws(InferenceError) -> [String] {
        guard let node else { throw nodes.fail(field, "a value (it is required): a list or a file of one label a line") }
        let labels: [String]
        if case .sequence = node {
            labels = try nodes.sequence(node, field).enumerated().map { index, item throws(InferenceError) in
                try nodes.string(item, "\(field)[\(index)]", required: true)!
            }
        } else {
            let path = resolve(try nodes.string(node, field, required: true)!)
            guard let data = FileManager.default.contents(atPath: path) else { throw nodes.fail(field, "a readable labels file, not \(path)") }
            labels = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard !labels.isEmpty else { throw nodes.fail(field, "at least one label") }
        return labels
    }

    private func batch(_ node: Node?) throws(InferenceError) -> BatchPolicy {
        guard let node else { return BatchPolicy() }
        let fields = try nodes.mapping(node, "batch", allowed: ["max_size", "max_wait_ms"])
        let size = try nodes.integer(fields["max_size"], "batch.max_size") ?? 1
        guard (1...256).contains(size) else { throw nodes.fail("batch.max_size", "1...256") }
        let wait = try nodes.integer(fields["max_wait_ms"], "batch.max_wait_ms") ?? (size > 1 ? 5 : 0)
        guard (0...10_000).contains(wait) else { throw nodes.fail("batch.max_wait_ms", "0...10000 milliseconds") }
        return BatchPolicy(maxSize: size, maxWaitMilliseconds: wait)
    }
}
