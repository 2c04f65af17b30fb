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
            guard let graph = try Self.fields(bytes[...]).last(where: { $0.number == 7 })?.bytes else {
                throw InferenceError.invalidModel(file: file, problem: "not an ONNX model: it has no graph")
            }
            let fields = try Self.fields(graph)
            var initializers: Set<String> = []
            for field in fields where field.number == 5 {
                if let name = try Self.fields(field.bytes!).first(where: { $0.number == 8 })?.bytes { initializers.insert(Self.text(name)) }
            }
            var inputs: [Input] = []
            for field in fields where field.number == 11 {
                let info = try Self.fields(field.bytes!)
                let name = info.first { $0.number == 1 }?.bytes.map(Self.text) ?? ""
                guard !initializers.contains(name) else { continue }
                var shape: [Int?] = []
                if let type = info.first(where: { $0.number == 2 })?.bytes,
                   let tensor = try Self.fields(type).first(where: { $0.number == 1 })?.bytes,
                   let dims = try Self.fields(tensor).first(where: { $0.number == 2 })?.bytes {
                    for dim in try Self.fields(dims) where dim.number == 1 {
                        let parts = try Self.fields(dim.bytes!)
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

    /// A protobuf field: its number, and its value (varints and fixed widths) or bytes
    /// (length-delimited).
    struct Field {
        let number: Int
        let value: UInt64?
        let bytes: ArraySlice<UInt8>?
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The fields of one message.
    static func fields(_ message: ArraySlice<UInt8>) throws -> [Field] {
        var fields: [Field] = []
        var index = message.startIndex
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard index < message.endIndex, shift < 64 else { throw Malformed(description: "a number runs past its message") }
                let byte = message[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while index < message.endIndex {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append(Field(number: number, value: try varint(), bytes: nil))
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard message.endIndex - index >= width else { throw Malformed(description: "a value runs past its message") }
                index += width
                fields.append(Field(number: number, value: nil, bytes: nil))
            case 2:
                let length = try varint()
                guard length <= UInt64(message.endIndex - index) else { throw Malformed(description: "a field runs past its message") }
                fields.append(Field(number: number, value: nil, bytes: message[index..<(index + Int(length))]))
                index += Int(length)
            default:
                throw Malformed(description: "unknown wire type \(key & 7)")
            }
        }
        return fields
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
