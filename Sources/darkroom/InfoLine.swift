import ImageModel

/// One line of `darkroom info`: the file, and its header and size or why it could not be read.
struct InfoLine: Encodable {
    let file: String
    let header: ImageHeader?
    let bytes: Int?
    let error: String?

    enum CodingKeys: String, CodingKey {
        case file, bytes, error
    }

    func encode(to encoder: any Encoder) throws {
        // The header's fields sit beside the file's, as `/info` writes them.
        try header?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encodeIfPresent(bytes, forKey: .bytes)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
