/// The fields of a protobuf message, read by their wire format alone: enough to walk to the
/// few fields Darkroom reads from an ONNX file, without a protobuf library or generated code.
enum ProtobufFields {
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
    static func parse(_ message: ArraySlice<UInt8>) throws -> [Field] {
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
}
