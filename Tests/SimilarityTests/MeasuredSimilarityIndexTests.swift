import MetricsTestKit
import Similarity
import Testing
import TestSupport

@Suite("Index metrics")
struct MeasuredSimilarityIndexTests {
    @Test("size after each change, a latency per search, duplicates found by kind")
    func metrics() async throws {
        let metrics = TestMetrics()
        let index = MeasuredSimilarityIndex(MemorySimilarityIndex(), metrics: metrics)
        let rocket = try SignatureFixtures.signature("rocket")
        try await index.add(IndexedImage(imageID: "a", key: "a.jpg", signature: rocket))
        try await index.add(IndexedImage(imageID: "b", key: "b.jpg", signature: try SignatureFixtures.signature("rocket", .resized)))
        #expect(try metrics.expectGauge("darkroom_index_images").lastValue == 2)
        let found = try await index.search(SimilarityQuery(signature: rocket))
        #expect(found.count == 2)
        #expect(try metrics.expectTimer("darkroom_index_query_seconds").values.count == 1)
        #expect(try metrics.expectCounter("darkroom_duplicates_found_total", [("match", "exact")]).totalValue == 1)
        #expect(try metrics.expectCounter("darkroom_duplicates_found_total", [("match", "near")]).totalValue == 1)
        try await index.remove(imageID: "a")
        #expect(try metrics.expectGauge("darkroom_index_images").lastValue == 1)
    }
}
