import ImageAnalysis
import Similarity
import Synchronization
import Testing
import TestSupport

/// Keypoint verification is CPU work: an index hands it to its executor (the pixel pool in
/// `serve` and `worker`), and only for transformed searches.
@Suite("Similarity executor")
struct SimilarityExecutorTests {
    struct Full: Error {}

    @Test("Transformed searches judge their candidates on the executor; near searches do not need it")
    func transformedRunsOnExecutor() async throws {
        let calls = Mutex(0)
        let index = MemorySimilarityIndex(executor: SimilarityExecutor { work in
            calls.withLock { $0 += 1 }
            return work()
        })
        try await index.add(IndexedImage(imageID: "chelsea", key: "chelsea.jpg", signature: try SignatureFixtures.signature("chelsea")))
        let crop = try SignatureFixtures.signature("chelsea", .cropped50)
        #expect(try await index.search(SimilarityQuery(signature: crop)).isEmpty)
        #expect(calls.withLock { $0 } == 0)
        #expect(try await index.search(SimilarityQuery(signature: crop, match: .transformed)).map(\.imageID) == ["chelsea"])
        #expect(calls.withLock { $0 } == 1)
    }

    @Test("A full executor makes a transformed search fail as busy, with a clear message")
    func fullExecutorIsBusy() async throws {
        let index = MemorySimilarityIndex(executor: SimilarityExecutor { _ in throw Full() })
        try await index.add(IndexedImage(imageID: "chelsea", key: "chelsea.jpg", signature: try SignatureFixtures.signature("chelsea")))
        let crop = try SignatureFixtures.signature("chelsea", .cropped50)
        do {
            _ = try await index.search(SimilarityQuery(signature: crop, match: .transformed))
            Issue.record("a full executor must fail the search")
        } catch {
            #expect(error.description.hasPrefix("too busy"), "\(error)")
        }
    }
}
