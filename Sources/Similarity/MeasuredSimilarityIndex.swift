public import CoreMetrics
import Metrics

/// An index that reports what it does: `darkroom_index_images` (how many are indexed, after
/// each change), `darkroom_index_query_seconds` (each search's latency) and
/// `darkroom_duplicates_found_total` (matches returned, by kind).
public struct MeasuredSimilarityIndex: SimilarityIndex {
    let inner: any SimilarityIndex
    let metrics: any MetricsFactory

    /// Wraps `inner`, reporting to `metrics` (the bootstrapped system by default).
    public init(_ inner: any SimilarityIndex, metrics: any MetricsFactory = MetricsSystem.factory) {
        self.inner = inner
        self.metrics = metrics
    }

    public func add(_ entry: IndexedImage) async throws(SimilarityError) {
        try await inner.add(entry)
        await reportSize()
    }

    public func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError) {
        try await inner.add(contentsOf: entries)
        await reportSize()
    }

    public func remove(imageID: String) async throws(SimilarityError) {
        try await inner.remove(imageID: imageID)
        await reportSize()
    }

    public func image(id: String) async throws(SimilarityError) -> IndexedImage? {
        try await inner.image(id: id)
    }

    public func count() async throws(SimilarityError) -> Int {
        try await inner.count()
    }

    public func addEmbedding(_ embedding: ImageEmbedding) async throws(SimilarityError) {
        try await inner.addEmbedding(embedding)
    }

    public func searchEmbeddings(_ query: EmbeddingQuery) async throws(SimilarityError) -> [EmbeddingMatch] {
        let start = ContinuousClock.now
        defer { Timer(label: "darkroom_index_query_seconds", factory: metrics).record(duration: ContinuousClock.now - start) }
        return try await inner.searchEmbeddings(query)
    }

    public func search(_ query: SimilarityQuery) async throws(SimilarityError) -> [SimilarityMatch] {
        let start = ContinuousClock.now
        let matches = try await inner.search(query)
        Timer(label: "darkroom_index_query_seconds", factory: metrics).record(duration: ContinuousClock.now - start)
        for kind in MatchKind.allCases {
            let found = matches.count { $0.match == kind }
            if found > 0 {
                Counter(label: "darkroom_duplicates_found_total", dimensions: [("match", kind.rawValue)], factory: metrics)
                    .increment(by: found)
            }
        }
        return matches
    }

    private func reportSize() async {
        if let size = try? await inner.count() {
            Gauge(label: "darkroom_index_images", factory: metrics).record(size)
        }
    }
}
