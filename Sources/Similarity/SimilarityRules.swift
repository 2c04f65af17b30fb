public import Foundation
public import ImageAnalysis

/// What every backend does the same way: refuse what none can use, store signatures as JSON,
/// and judge and rank the candidates their tables found.
public enum SimilarityRules {
    /// Refuses a signature of another version, or of the wrong shape.
    public static func check(_ signature: ImageSignature) throws(SimilarityError) {
        guard signature.version == ImageSignature.currentVersion else {
            throw .invalid("signature: version \(signature.version); this index holds version \(ImageSignature.currentVersion)")
        }
        guard signature.blockHash.bitCount == 256, signature.mirroredBlockHash.bitCount == 256 else {
            throw .invalid("signature: expected a 256-bit block hash")
        }
    }

    /// Refuses a query no backend can answer.
    public static func check(_ query: SimilarityQuery) throws(SimilarityError) {
        try check(query.signature)
        guard (1...1000).contains(query.limit) else { throw .invalid("k: expected 1...1000, got \(query.limit)") }
        guard (0...1).contains(query.minimumScore) else { throw .invalid("min_score: expected 0...1") }
    }

    /// The candidates that match `query`, judged by ``SignatureComparison`` and ranked closest
    /// first, at most `query.limit` of them.
    public static func rank(_ candidates: [IndexedImage], for query: SimilarityQuery) -> [SimilarityMatch] {
        let matches = candidates.compactMap { candidate -> SimilarityMatch? in
            guard candidate.imageID != query.excluding,
                  let (kind, score) = SignatureComparison.match(query.signature, candidate.signature),
                  kind <= query.match, score >= query.minimumScore else { return nil }
            return SimilarityMatch(imageID: candidate.imageID, key: candidate.key, score: score, match: kind)
        }
        return Array(matches.sorted(by: SimilarityMatch.ranksBefore).prefix(query.limit))
    }

    /// A signature as a database stores it.
    public static func encode(_ signature: ImageSignature) throws(SimilarityError) -> Data {
        do { return try JSONEncoder().encode(signature) } catch { throw .invalid("signature: \(error)") }
    }

    /// A stored signature.
    public static func decode(_ data: Data) throws(SimilarityError) -> ImageSignature {
        do { return try JSONDecoder().decode(ImageSignature.self, from: data) } catch {
            throw .storage("a stored signature does not decode: \(error)")
        }
    }
}
