import Foundation
import ImageProcessing
import Testing
import TestSupport
import Vision
@testable import Inference

/// A real-size network: the onnx package's light ResNet-50 (its weights replaced by constants),
/// which scripts/bootstrap unpacks from the pinned onnx wheel into .models/, run on the input the
/// onnx backend tests feed it (0, 1/n, 2/n, … over 1×3×224×224), against the output the onnx
/// reference evaluator gave.
@Suite("A real-size network")
struct RealNetworkTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".models/onnx-1.17.0")

    @Test("light ResNet-50 runs and gives the reference evaluator's 1,000 numbers (rtol 1e-3)")
    func resnet50() throws {
        let model = Self.folder.appendingPathComponent("light_resnet50.onnx").path
        try #require(FileManager.default.fileExists(atPath: model), "run scripts/bootstrap: it unpacks \(model)")
        let inputs = try ONNXGraphInputs(Data(contentsOf: URL(fileURLWithPath: model)), file: model).inputs
        #expect(inputs.count == 1 && inputs[0].shape == [1, 3, 224, 224], "\(inputs)")
        let count = 3 * 224 * 224
        let input = Tensor(shape: [1, 3, 224, 224], values: (0..<count).map { Float(Double($0) / Double(count)) })
        let output = try NeuralNetwork(onnxFile: model).forward(input)
        let expected = try Self.tensor(Data(contentsOf: Self.folder.appendingPathComponent("light_resnet50_output_0.pb")))
        #expect(output.shape == expected.shape)
        let worst = zip(output.values, expected.values).map { abs($0 - $1) / max(abs($1), 1e-6) }.max() ?? .infinity
        #expect(output.values.count == 1000 && worst < 1e-3, "largest relative difference \(worst)")
    }

    /// A TensorProto of floats: dims (1), raw_data (9, little-endian) or float_data (4, packed).
    static func tensor(_ data: Data) throws -> Tensor {
        let fields = try ProtobufFields.parse([UInt8](data)[...])
        var shape: [Int] = []
        for field in fields where field.number == 1 {
            if let value = field.value { shape.append(Int(value)) }
        }
        let bytes = (fields.first { $0.number == 9 } ?? fields.first { $0.number == 4 })?.bytes ?? []
        let values = stride(from: bytes.startIndex, to: bytes.endIndex, by: 4).map { index in
            Float(bitPattern: bytes[index..<(index + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        return Tensor(shape: shape, values: values)
    }

    @Test("a pass past timeout_ms fails its request as timed out, naming the model; the model goes on serving")
    func timesOut() async throws {
        let model = Self.folder.appendingPathComponent("light_resnet50.onnx").path
        try #require(FileManager.default.fileExists(atPath: model), "run scripts/bootstrap")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timeout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let specFile = folder.appendingPathComponent("resnet.yaml").path
        // A ResNet-50 pass takes about 0.3 s here: 1 ms is far past.
        try Data("name: resnet\npath: \(model)\ninput: {width: 224, height: 224}\ntask: embed\ntimeout_ms: 1\n".utf8)
            .write(to: URL(fileURLWithPath: specFile))
        let loaded = try await LoadedModel(ModelSpec.read(file: specFile), runtime: OpenCVRuntime(), pool: ModelTests.pool)
        let item = Tensor(shape: [1, 3, 224, 224], values: [Float](repeating: 0.5, count: 3 * 224 * 224))
        // Four images make a pass of about a second: even with the suite's other tests holding
        // the cooperative threads, the 1 ms timer fires long before it ends.
        await #expect(throws: InferenceError.timedOut(model: "resnet", milliseconds: 1)) {
            try await loaded.forward([item, item, item, item])
        }
        // Once the abandoned pass has run out, the pool takes work again.
        try await waitUntil(30) { ModelTests.pool.load.running == 0 }
        #expect(try await ModelTests.pool.run { _ in 1 } == 1)
    }
}
