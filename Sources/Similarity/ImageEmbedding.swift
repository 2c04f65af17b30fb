/// A model's vector for one image (an `embed` model's output), kept by a ``SimilarityIndex`` for
/// "looks like" searches by cosine similarity among the vectors of the same model.
public struct ImageEmbedding: Sendable, Equatable {
    public var imageID: String
    /// Where the image is, as searches report it.
    public var key: String
    /// The model that made the vector: only vectors of one model are compared.
    public var model: String
    public var vector: [Float]

    /// An embedding.
    public init(imageID: String, key: String, model: String, vector: [Float]) {
        self.imageID = imageID
        self.key = key
        self.model = model
        self.vector = vector
    }
}

/// A "looks like" search: the `limit` stored vectors of `model` closest to `vector` by cosine
/// similarity, at least `minimumScore`, leaving out `excluding`.
public struct EmbeddingQuery: Sendable, Equatable {
    public var model: String
    public var vector: [Float]
    public var limit: Int
    public var minimumScore: Double
    public var excluding: String?

    /// A query; by default the 10 closest, whatever their score.
    public init(model: String, vector: [Float], limit: Int = 10, minimumScore: Double = -1, excluding: String? = nil) {
        self.model = model
        self.vector = vector
        self.limit = limit
        self.minimumScore = minimumScore
        self.excluding = excluding
    }
}

/// One image found by a "looks like" search, with its cosine similarity (−1 to 1).
public struct EmbeddingMatch: Sendable, Equatable, Codable {
    public var imageID: String
    public var key: String
    public var score: Double

    public init(imageID: String, key: String, score: Double) {
        self.imageID = imageID
        self.key = key
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case key, score
        case imageID = "image_id"
    }
}
