/// A value written in JSON as its hex text (`description`) and read back by ``init(hex:)``:
/// how the hashes travel in results and indexes.
public protocol HexCodable: Codable, CustomStringConvertible {
    /// Parses the hex text, or fails.
    init?(hex: String)
}

extension HexCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected hex digits, not '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
