/// The JSON body of `POST /v1/search`: an image named by source or by indexed id.
struct SearchRequest: Decodable, Sendable {
    let source: String?
    let imageID: String?
    let k: Int?
    let match: String?

    enum CodingKeys: String, CodingKey {
        case source, k, match
        case imageID = "image_id"
    }
}
