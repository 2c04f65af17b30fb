import ImageModel

/// `/info/…`: the source's header fields, and, when the URL has processing options, what those
/// options make of it (`output`): the format `f:auto` chose and why, the quality `aq` chose.
struct ImageInfo: Encodable {
    let source: ImageHeader
    let output: Output?

    /// The rendered result as the image route would serve it.
    struct Output: Encodable {
        let format: String
        let width: Int
        let height: Int
        let bytes: Int
        let quality: Int?
        let qualityUnmet: Bool
        let content: String?
        let formatReason: String?

        init(_ image: RenderedImage) {
            format = image.format.rawValue
            width = image.width
            height = image.height
            bytes = image.data.count
            quality = image.quality
            qualityUnmet = image.qualityUnmet
            content = image.content
            formatReason = image.formatReason
        }

        enum CodingKeys: String, CodingKey {
            case format, width, height, bytes, quality, content
            case qualityUnmet = "quality_unmet", formatReason = "format_reason"
        }
    }

    private enum CodingKeys: String, CodingKey { case output }

    /// The header's own fields at the top level, as imgproxy's `/info` has them, plus `output`.
    func encode(to encoder: any Encoder) throws {
        try source.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(output, forKey: .output)
    }
}
