import Foundation
import ImageAnalysis
import ImageProcessing
import ObjectStorage
import Similarity
import Testing
import TestSupport
import Vips
@testable import Pipelines

/// `duplicate:` at ingest: a pipeline looks each image's signature up in the similarity index,
/// then flags, rejects or links a copy, and indexes what it accepts.
@Suite("Duplicate check at ingest")
struct DuplicateCheckTests {
    static func spec(_ action: String, match: String = "near") -> String {
        """
        name: ingest
        version: "1"
        preprocess: rs:fit:800:800
        features: [dimensions]
        checks:
          - duplicate: {match: \(match), action: \(action)}
        outputs:
          - {name: thumb, recipe: "rs:fit:64:64/f:webp", key: "d/{image_id}/{name}.{ext}"}
        """
    }

    /// Runs the original rocket, then a copy (by default resized and re-encoded), through a
    /// pipeline with `action` and `match`.
    func ingest(_ action: String, match: String = "near", copy variant: DuplicateVariant? = nil) async throws
        -> (first: PipelineResult, copy: PipelineResult, store: MemoryObjectStore, index: MemorySimilarityIndex) {
        let store = MemoryObjectStore(), index = MemorySimilarityIndex()
        let catalog = PipelineCatalog([try Pipeline(spec: Self.spec(action, match: match), file: "ingest.yaml")])
        let runner = PipelineRunner(catalog: catalog, processor: ImageProcessor(pool: PixelPool(threads: 2)),
                                    sources: StoreSources(store: store), store: store, index: index)
        let rocket = try SignatureFixtures.photo("rocket")
        _ = try await store.put(try ObjectKey("in/rocket.jpg"), data: try Fixtures.data("natural/rocket.jpg"))
        let edited = try variant.map { try $0.apply(to: rocket) } ?? rocket.resized(horizontal: 0.6, vertical: 0.6)
        _ = try await store.put(try ObjectKey("in/copy.jpg"), data: try edited
            .encoded(.jpeg(quality: 60, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true)))
        let first = try await runner.run(PipelineJob(pipeline: "ingest", version: "1", source: "in/rocket.jpg"))
        let copy = try await runner.run(PipelineJob(pipeline: "ingest", version: "1", source: "in/copy.jpg"))
        return (first, copy, store, index)
    }

    @Test("the spec reads the check and measures the signature it needs; a bad action is named")
    func spec() throws {
        let pipeline = try Pipeline(spec: Self.spec("link"), file: "ingest.yaml")
        #expect(pipeline.duplicate == DuplicateCheck(match: .near, action: .link) && pipeline.features.contains(.signature))
        #expect(throws: PipelineError.invalidSpec(file: "x.yaml", field: "checks[0].duplicate.action", expected: "flag, reject or link")) {
            try Pipeline(spec: Self.spec("delete"), file: "x.yaml")
        }
    }

    @Test("reject: the copy completes as rejected, names the original, stores nothing and is not indexed")
    func reject() async throws {
        let (first, copy, store, index) = try await ingest("reject")
        #expect(first.duplicates == [] && !first.rejected && first.outputs.count == 1)
        #expect(copy.rejected && copy.outputs.isEmpty)
        #expect(copy.duplicates?.map(\.imageID) == [first.imageID] && copy.duplicates?.first?.match == .near)
        #expect(try await store.listAll(prefix: "d/").count == 1)
        #expect(try await index.count() == 1)
    }

    @Test("link: the copy records the original's id and still makes its outputs; both are indexed")
    func link() async throws {
        let (first, copy, store, index) = try await ingest("link")
        #expect(copy.duplicateOf == first.imageID && !copy.rejected && copy.outputs.count == 1)
        #expect(try await store.listAll(prefix: "d/").count == 2)
        #expect(try await index.count() == 2)
        let json = try JSONSerialization.jsonObject(with: copy.encoded()) as? [String: Any]
        #expect(json?["duplicate_of"] as? String == first.imageID)
        #expect((json?["duplicates"] as? [[String: Any]])?.first?["image_id"] as? String == first.imageID)
    }

    @Test("match: transformed rejects a crop of a quarter of the area, which match: near lets through")
    func transformedCrop() async throws {
        let near = try await ingest("reject", match: "near", copy: .cropped50)
        #expect(!near.copy.rejected && near.copy.duplicates == [])
        let (first, copy, _, _) = try await ingest("reject", match: "transformed", copy: .cropped50)
        #expect(copy.rejected && copy.duplicates?.map(\.imageID) == [first.imageID] && copy.duplicates?.first?.match == .transformed)
    }

    @Test("flag: the copy is flagged as a duplicate and made")
    func flag() async throws {
        let (_, copy, _, _) = try await ingest("flag")
        #expect(copy.flags == ["duplicate"] && !copy.rejected && copy.duplicateOf == nil)
    }

    @Test("without an index a pipeline with the check fails, saying what it needs")
    func noIndex() async throws {
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([try Pipeline(spec: Self.spec("flag"), file: "i.yaml")]),
                                    processor: ImageProcessor(pool: PixelPool(threads: 1)), sources: StoreSources(store: store),
                                    store: store)
        _ = try await store.put(try ObjectKey("a.jpg"), data: try Fixtures.data("natural/rocket.jpg"))
        await #expect(throws: PipelineError.unavailable("the duplicate check needs a similarity index (--index)")) {
            try await runner.run(PipelineJob(pipeline: "ingest", version: "1", source: "a.jpg"))
        }
    }
}
