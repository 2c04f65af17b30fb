/// A IIIF Image API 3.0 `info.json`, level 2 with the extra features Darkroom supports.
struct IIIFInfo: Encodable, Sendable {
    /// A size the server will render whole.
    struct Size: Encodable, Sendable {
        let width: Int
        let height: Int
    }

    /// The tile grid clients should ask for.
    struct Tiles: Encodable, Sendable {
        let width: Int
        let scaleFactors: [Int]
    }

    let context = IIIFController.context
    let id: String
    let type = "ImageService3"
    let `protocol` = "http://iiif.io/api/image"
    let profile = "level2"
    let width: Int
    let height: Int
    let maxWidth: Int
    let maxHeight: Int
    let maxArea: Int
    let sizes: [Size]
    let tiles: [Tiles]
    let extraFormats = ["webp", "tif", "gif", "avif"]
    let extraQualities = ["color", "gray", "bitonal"]
    let extraFeatures = IIIFController.extraFeatures

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, `protocol`, profile, width, height, maxWidth, maxHeight, maxArea, sizes, tiles
        case extraFormats, extraQualities, extraFeatures
    }
}
