public import ImageAnalysis

/// What to look for: the images like `signature`, matching at least as closely as `match`,
/// at most `limit` of them, none scoring under `minimumScore`.
public struct SimilarityQuery: Sendable {
    public var signature: ImageSignature
    /// The loosest kind of match wanted: `exact`, `near` (exact and near) or `transformed` (all).
    public var match: MatchKind
    public var limit: Int
    public var minimumScore: Double
    /// Leave this image out (the query image itself, when it is indexed).
    public var excluding: String?

    /// A query.
    public init(signature: ImageSignature, match: MatchKind = .near, limit: Int = 10, minimumScore: Double = 0,
                excluding: String? = nil) {
        self.signature = signature
        self.match = match
        self.limit = limit
        self.minimumScore = minimumScore
        self.excluding = excluding
    }
}
