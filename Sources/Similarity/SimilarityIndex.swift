/// Where signatures live and are searched: given an image's signature, the indexed images that
/// are copies of it, closest first.
///
/// Candidates come from multi-index hashing over the DCT hash and the block hash (each split
/// into chunks that are looked up exactly or within a bit, ``MultiIndexHash``), and for a
/// `transformed` search from the keypoints' anchors (``KeypointAnchors``), never from a scan;
/// each candidate is then judged by ``SignatureComparison``, keypoint verification included, on
/// the index's ``SimilarityExecutor``. Exact matches come from the pixel digest.
///
/// Backends: ``MemorySimilarityIndex`` (tests, `dedupe`), `SQLiteSimilarityIndex` (beside the
/// queue's database) and `PostgresSimilarityIndex` (shared); every backend passes the same
/// contract suite.
public protocol SimilarityIndex: Sendable {
    /// Adds or replaces the image `entry.imageID`.
    func add(_ entry: IndexedImage) async throws(SimilarityError)
    /// Adds or replaces many images at once (one transaction where the backend has them).
    func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError)
    /// Removes an image; removing one that is not there is not an error.
    func remove(imageID: String) async throws(SimilarityError)
    /// The image, or nil.
    func image(id: String) async throws(SimilarityError) -> IndexedImage?
    /// The indexed images that match, closest first.
    func search(_ query: SimilarityQuery) async throws(SimilarityError) -> [SimilarityMatch]
    /// How many images are indexed.
    func count() async throws(SimilarityError) -> Int
    /// Adds or replaces the vector of `embedding.model` for `embedding.imageID`; removing the
    /// image removes its vectors.
    func addEmbedding(_ embedding: ImageEmbedding) async throws(SimilarityError)
    /// The images whose vectors of the query's model are closest to it (``EmbeddingRules``).
    func searchEmbeddings(_ query: EmbeddingQuery) async throws(SimilarityError) -> [EmbeddingMatch]
}

extension SimilarityIndex {
    /// One at a time, for backends without a faster way.
    public func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError) {
        for entry in entries { try await add(entry) }
    }
}
