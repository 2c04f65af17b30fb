import Foundation
import ImageProcessing
import Testing
import TestSupport
@testable import Inference

/// Specs and files that are wrong: each error names the file and the field, at load, never at
/// the first job.
@Suite("Model specs")
struct ModelSpecTests {
    /// A spec file with `text` in a fresh folder holding copies of the fixture models.
    static func write(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["red_square.onnx", "red_square.labels", "shapes.onnx", "boxes.onnx"] {
            try FileManager.default.copyItem(at: Fixtures.url("models/\(name)"), to: folder.appendingPathComponent(name))
        }
        try Data("not a network".utf8).write(to: folder.appendingPathComponent("corrupt.onnx"))
        let original = try Data(contentsOf: Fixtures.url("models/red_square.onnx"))
        try original.prefix(original.count / 2).write(to: folder.appendingPathComponent("truncated.onnx"))
        try Data("red\nplain\nblue\n".utf8).write(to: folder.appendingPathComponent("three.labels"))
        let file = folder.appendingPathComponent("spec.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    static let valid = """
        name: red
        path: red_square.onnx
        input: {name: image, width: 32, height: 32}
        task: {classify: {labels: red_square.labels}}
        """

    @Test("the fixture specs read with their defaults and resolved paths")
    func reads() throws {
        let spec = try ModelSpec.read(file: Self.write(Self.valid))
        #expect(spec.name == "red" && spec.path.hasSuffix("/red_square.onnx") && spec.input.layout == .nchw)
        #expect(spec.task == .classify(labels: ["red", "plain"], topK: 2, softmax: false))
        #expect(spec.batch == BatchPolicy(maxSize: 1, maxWaitMilliseconds: 0))
        let boxes = try ModelSpec.read(file: Fixtures.url("models/boxes.yaml").path)
        #expect(boxes.task == .detect(DetectionSpec(layout: .yolo, labels: ["cat", "dog"], minScore: 0.5, iou: 0.45)))
        #expect(boxes.input.resize == .letterbox)
    }

    @Test("a wrong field is named with what was expected", arguments: [
        ("name: red\ninput: {width: 32, height: 32}\ntask: embed", "path", "required"),
        ("name: red\npath: missing.onnx\ninput: {width: 32, height: 32}\ntask: embed", "path", "readable ONNX file"),
        ("name: red\npath: red_square.onnx\ninput: {width: 0, height: 32}\ntask: embed", "input.width", "1...4096"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32, mean: [1, 2]}\ntask: embed", "input.mean", "3 numbers"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32, std: [1, 0, 1]}\ntask: embed", "input.std", "above 0"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32, layout: nhcw}\ntask: embed", "input.layout", "nchw, nhwc"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: sort", "task", "embed"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: {detect: {labels: [a]}}", "task.detect.layout", "yolo or ssd"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: embed\nbatch: {max_size: 0}", "batch.max_size", "1...256"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: embed\nresources: {gpu: 2}", "resources.gpu", "0...1"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: embed\nbatchs: {}", "batchs", "no such field"),
        ("name: red\npath: red_square.onnx\ninput: {width: 32, height: 32}\ntask: {classify: {labels: none.txt}}", "task.classify.labels", "readable labels file"),
        ("[1, 2", "(document)", "valid YAML"),
    ])
    func namesTheField(text: String, field: String, expected: String) throws {
        let file = try Self.write(text)
        let error = #expect(throws: InferenceError.self) { try ModelSpec.read(file: file) }
        guard case let .invalidSpec(errorFile, errorField, errorExpected)? = error else {
            Issue.record("\(field): \(String(describing: error))")
            return
        }
        #expect(errorFile == file && errorField == field && errorExpected.contains(expected), "\(errorField): \(errorExpected)")
    }

    @Test("a corrupt or truncated file, an input the network cannot take, and labels of the wrong count fail at load, naming the file",
          arguments: [
            ("path: corrupt.onnx\ninput: {width: 32, height: 32}\ntask: embed", "corrupt.onnx", "not an ONNX"),
            ("path: truncated.onnx\ninput: {width: 32, height: 32}\ntask: embed", "truncated.onnx", "not an ONNX"),
            ("path: shapes.onnx\ninput: {width: 32, height: 32}\ntask: embed", "shapes.onnx", "does not take the spec's input"),
            ("path: red_square.onnx\ninput: {width: 32, height: 32}\ntask: {classify: {labels: three.labels}}", "red_square.onnx",
             "the labels file has 3 labels"),
            ("path: boxes.onnx\ninput: {width: 64, height: 64}\ntask: {detect: {layout: yolo, labels: [a, b, c]}}", "boxes.onnx",
             "5 + 3 labels"),
          ])
    func refusesAtLoad(text: String, file: String, expected: String) async throws {
        let spec = try ModelSpec.read(file: Self.write("name: bad\n" + text))
        let error = await #expect(throws: InferenceError.self) {
            try await LoadedModel(spec, runtime: OpenCVRuntime(), pool: ModelTests.pool)
        }
        guard case let .invalidModel(errorFile, problem)? = error else {
            Issue.record("\(file): \(String(describing: error))")
            return
        }
        #expect(errorFile.hasSuffix("/" + file) && problem.contains(expected), "\(errorFile): \(problem)")
    }
}
