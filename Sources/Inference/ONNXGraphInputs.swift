import Foundation

/// The inputs an ONNX file declares, read from its protobuf without a protobuf library: OpenCV
/// does not check a tensor against the declared shape (a flatten takes anything), so the spec
/// is checked against the declaration here, when the model loads.
///
/// Only the path to the inputs is walked: ModelProto.graph (7) → GraphProto.input (11) →
/// ValueInfoProto name (1) and type (2) → TypeProto.tensor_type (1) → shape (2) → dim (1) →
/// dim_value (1) or dim_param (2, a symbol: any size). Initializers (GraphProto 5, their
/// TensorProto name 8) are left out, as older files list them among the inputs.
struct ONNXGraphInputs {
    /// One declared input: its name, and each dimension's size (nil for a symbolic one).
    struct Input: Equatable {
        let name: String
        let shape: [Int?]
    }

    let inputs: [Input]

    /// The declared inputs of the ONNX bytes `data`.
    /// - Throws: ``InferenceError/invalidModel(file:problem:)`` for bytes that are not a model.
    init(_ data: Data, file: String) throws(InferenceError) {
        let bytes = [UInt8](data)
        do {
            guard let graph = try ProtobufFields.parse(bytes[...]).last(where: { $0.number == 7 })?.bytes else {
                throw InferenceError.invalidModel(file: file, problem: "not an ONNX model: it has no graph")
            }
            let fields = try ProtobufFields.parse(graph)
            var initializers: Set<String> = []
            for field in fields where field.number == 5 {
                if let name = try ProtobufFields.parse(field.bytes!).first(where: { $0.number == 8 })?.bytes { initializers.insert(Self.text(name)) }
            }
            var inputs: [Input] = []
            for field in fields where field.number == 11 {
                let info = try ProtobufFields.parse(field.bytes!)
                let name = info.first { $0.number == 1 }?.bytes.map(Self.text) ?? ""
                guard !initializers.contains(name) else { continue }
                var shape: [Int?] = []
                if let type = info.first(where: { $0.number == 2 })?.bytes,
                   let tensor = try ProtobufFields.parse(type).first(where: { $0.number == 1 })?.bytes,
                   let dims = try ProtobufFields.parse(tensor).first(where: { $0.number == 2 })?.bytes {
                    for dim in try ProtobufFields.parse(dims) where dim.number == 1 {
                        let parts = try ProtobufFields.parse(dim.bytes!)
                        shape.append(parts.first { $0.number == 1 }?.value.map { Int(truncatingIfNeeded: $0) })
                    }
                }
                inputs.append(Input(name: name, shape: shape))
            }
            self.inputs = inputs
        } catch let error as InferenceError {
            throw error
        } catch {
            throw .invalidModel(file: file, problem: "not an ONNX model: \(error)")
        }
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// What is wrong with `input` against these declarations; nil when it agrees.
    func problem(with input: ModelInput) -> String? {
        let candidates = input.name.map { name in inputs.filter { $0.name == name } } ?? inputs
        guard let declared = candidates.first else {
            return "it has no input named '\(input.name ?? "")'; its inputs are \(inputs.map(\.name))"
        }
        guard input.name != nil || inputs.count == 1 else {
            return "it has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))): name one in input.name"
        }
        let wanted = input.shape(batch: 1)
        let agrees = declared.shape.count == 4 && zip(declared.shape.dropFirst(), wanted.dropFirst()).allSatisfy { $0 == nil || $0 == $1 }
        guard agrees || declared.shape.isEmpty else {
            let shown = declared.shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
            return "its input '\(declared.name)' is [\(shown)], but the spec gives \(wanted) (\(input.layout.rawValue))"
        }
        return nil
    }
}
