/// An indexed image that matches a query.
public struct SimilarityMatch: Sendable, Equatable, Codable {
    public var imageID: String
    public var key: String
    /// 0–1, higher is closer; 1 only for an exact match.
    public var score: Double
    public var match: MatchKind

    /// A match.
    public init(imageID: String, key: String, score: Double, match: MatchKind) {
        self.imageID = imageID
        self.key = key
        self.score = score
        self.match = match
    }

    enum CodingKeys: String, CodingKey {
        case key, score, match
        case imageID = "image_id"
    }

    /// Closest first; ties by id, so the order is stable.
    static func ranksBefore(_ a: SimilarityMatch, _ b: SimilarityMatch) -> Bool {
        if a.match != b.match { return a.match < b.match }
        if a.score != b.score { return a.score > b.score }
        return a.imageID < b.imageID
    }
}
