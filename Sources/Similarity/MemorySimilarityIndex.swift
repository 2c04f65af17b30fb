import ImageAnalysis
import Synchronization

/// Signatures in memory, with the same lookup rows as the database backends: for tests, and
/// for `darkroom dedupe`, which indexes a folder and forgets it.
public final class MemorySimilarityIndex: SimilarityIndex {
    /// One lookup row's place: which hash, which chunk or table, which value.
    private struct Chunk: Hashable {
        var hash: String
        var position: Int
        var value: UInt64
    }

    private struct State {
        var images: [String: IndexedImage] = [:]
        var chunks: [Chunk: Set<String>] = [:]
        var anchors: [Int64: Set<String>] = [:]
        var digests: [String: Set<String>] = [:]
        /// Vectors by model, then image: normalised.
        var embeddings: [String: [String: (key: String, vector: [Float])]] = [:]
    }

    private let state = Mutex(State())
    private let executor: SimilarityExecutor

    /// An empty index; `executor` runs keypoint verification.
    public init(executor: SimilarityExecutor = .inline) {
        self.executor = executor
    }

    public func add(_ entry: IndexedImage) async throws(SimilarityError) {
        try await add(contentsOf: [entry])
    }

    public func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError) {
        for entry in entries { try SimilarityRules.check(entry.signature) }
        state.withLock { state in
            for entry in entries { Self.insert(entry, into: &state) }
        }
    }

    /// Replaces one image in the tables.
    private static func insert(_ entry: IndexedImage, into state: inout State) {
        let entry = SimilarityRules.stored(entry)
        Self.remove(entry.imageID, from: &state)
        state.images[entry.imageID] = entry
        state.digests[entry.signature.pixelDigest, default: []].insert(entry.imageID)
        for row in SimilarityRules.chunkRows(of: entry.signature) {
            state.chunks[Chunk(hash: row.hash, position: row.position, value: row.value), default: []].insert(entry.imageID)
        }
        for key in SimilarityRules.anchorKeys(of: entry.signature) { state.anchors[key, default: []].insert(entry.imageID) }
    }

    public func remove(imageID: String) async throws(SimilarityError) {
        state.withLock { state in
            Self.remove(imageID, from: &state)
            for model in state.embeddings.keys { state.embeddings[model]?[imageID] = nil }
        }
    }

    public func addEmbedding(_ embedding: ImageEmbedding) async throws(SimilarityError) {
        try EmbeddingRules.check(model: embedding.model, vector: embedding.vector)
        let vector = EmbeddingRules.normalised(embedding.vector)
        state.withLock { $0.embeddings[embedding.model, default: [:]][embedding.imageID] = (embedding.key, vector) }
    }

    public func searchEmbeddings(_ query: EmbeddingQuery) async throws(SimilarityError) -> [EmbeddingMatch] {
        try EmbeddingRules.check(query)
        let stored = state.withLock { state in
            (state.embeddings[query.model] ?? [:]).map { (imageID: $0.key, key: $0.value.key, vector: $0.value.vector) }
        }
        return try EmbeddingRules.rank(stored, for: query)
    }

    public func image(id: String) async throws(SimilarityError) -> IndexedImage? {
        state.withLock { $0.images[id] }
    }

    public func count() async throws(SimilarityError) -> Int {
        state.withLock { $0.images.count }
    }

    public func search(_ query: SimilarityQuery) async throws(SimilarityError) -> [SimilarityMatch] {
        try SimilarityRules.check(query)
        let candidates = state.withLock { state -> [IndexedImage] in
            var ids = state.digests[query.signature.pixelDigest] ?? []
            for probe in SimilarityRules.hashProbes(for: query) {
                ids.formUnion(state.chunks[Chunk(hash: probe.hash, position: probe.position, value: probe.value)] ?? [])
            }
            var votes: [String: Int] = [:]
            for key in SimilarityRules.anchorProbes(for: query) {
                for id in state.anchors[key] ?? [] { votes[id, default: 0] += 1 }
            }
            ids.formUnion(KeypointAnchors.candidates(votes: votes))
            return ids.compactMap { state.images[$0] }
        }
        return try await SimilarityRules.rank(candidates, for: query, on: executor)
    }

    private static func remove(_ id: String, from state: inout State) {
        guard let old = state.images.removeValue(forKey: id) else { return }
        state.digests[old.signature.pixelDigest]?.remove(id)
        if state.digests[old.signature.pixelDigest]?.isEmpty == true { state.digests[old.signature.pixelDigest] = nil }
        for row in SimilarityRules.chunkRows(of: old.signature) {
            let chunk = Chunk(hash: row.hash, position: row.position, value: row.value)
            state.chunks[chunk]?.remove(id)
            if state.chunks[chunk]?.isEmpty == true { state.chunks[chunk] = nil }
        }
        for key in SimilarityRules.anchorKeys(of: old.signature) {
            state.anchors[key]?.remove(id)
            if state.anchors[key]?.isEmpty == true { state.anchors[key] = nil }
        }
    }
}
