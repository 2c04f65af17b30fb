public import Foundation

/// What every backend does the same way with embeddings: refuse what none can compare, store
/// vectors normalised and packed, and rank by cosine similarity.
///
/// A search compares the query with every stored vector of its model: exact, and linear in
/// their number (a million 512-float vectors is 2 GB to read), which suits catalogues up to a
/// few hundred thousand images a model; beyond that an approximate index (HNSW, IVF) belongs
/// here.
public enum EmbeddingRules {
    /// The most dimensions a vector may have.
    public static let maximumDimensions = 4096

    /// Refuses an empty, oversized or non-finite vector, or one without a model.
    public static func check(model: String, vector: [Float]) throws(SimilarityError) {
        guard !model.isEmpty else { throw .invalid("model: expected a model's name") }
        guard (1...maximumDimensions).contains(vector.count) else {
            throw .invalid("vector: expected 1...\(maximumDimensions) numbers, got \(vector.count)")
        }
        guard vector.allSatisfy(\.isFinite), vector.contains(where: { $0 != 0 }) else {
            throw .invalid("vector: expected finite numbers, not all zero")
        }
    }

    /// Refuses a query no backend can answer.
    public static func check(_ query: EmbeddingQuery) throws(SimilarityError) {
        try check(model: query.model, vector: query.vector)
        guard (1...1000).contains(query.limit) else { throw .invalid("k: expected 1...1000, got \(query.limit)") }
    }

    /// `vector` scaled to length 1, so that a dot product is the cosine.
    public static func normalised(_ vector: [Float]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }

    /// A vector as a database stores it: normalised, little-endian float32.
    public static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in normalised(vector) { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// A stored vector.
    public static func decode(_ data: Data) throws(SimilarityError) -> [Float] {
        guard data.count % 4 == 0 else { throw .storage("a stored vector has \(data.count) bytes, not a multiple of 4") }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { index in
            Float(bitPattern: UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                  | UInt32(bytes[index + 3]) << 24)
        }
    }

    /// Ranks stored `(imageID, key, normalised vector)` against `query`: the closest first, at most
    /// its limit. A stored vector of another length is an error: the model changed its output.
    public static func rank(_ stored: some Sequence<(imageID: String, key: String, vector: [Float])>,
                            for query: EmbeddingQuery) throws(SimilarityError) -> [EmbeddingMatch] {
        let probe = normalised(query.vector)
        var matches: [EmbeddingMatch] = []
        for entry in stored where entry.imageID != query.excluding {
            guard entry.vector.count == probe.count else {
                throw .invalid("vector: model \(query.model)'s stored vectors have \(entry.vector.count) numbers, the query \(probe.count)")
            }
            var dot: Float = 0
            for index in probe.indices { dot += probe[index] * entry.vector[index] }
            let score = (Double(dot) * 10_000).rounded() / 10_000
            if score >= query.minimumScore { matches.append(EmbeddingMatch(imageID: entry.imageID, key: entry.key, score: score)) }
        }
        return Array(matches.sorted { $0.score != $1.score ? $0.score > $1.score : $0.imageID < $1.imageID }.prefix(query.limit))
    }
}
