import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import JobQueue
import ObjectStorage
import Testing
import TestSupport
import Vips
@testable import Pipelines

/// Reads sources as keys of one object store, as the service does for bare keys.
struct StoreSources: PipelineSourceReader {
    let store: any ObjectStore
    func read(_ source: String, maxBytes: Int) async throws -> (data: Data, name: String) {
        do { return (try await store.get(try ObjectKey(source)).data, "source") } catch ObjectStoreError.notFound {
            throw PipelineError.sourceUnavailable(source)
        }
    }
}

@Suite("Pipeline runner")
struct PipelineRunnerTests {
    static let spec = """
        name: web
        version: "7"
        preprocess: rs:fit:400:400
        features: [dimensions, phash, sharpness]
        checks:
          - min_width: 300
            action: reject
          - min_sharpness: 1000000
        outputs:
          - {name: thumb, recipe: "rs:fill:64:64/f:webp", key: "d/{image_id}/{name}.{ext}"}
          - {name: medium, recipe: "rs:fit:200:200/f:jpeg", key: "d/{image_id}/{name}.{ext}"}
        """

    func runner(_ spec: String = spec) throws -> (PipelineRunner, MemoryObjectStore) {
        let store = MemoryObjectStore()
        let catalog = PipelineCatalog([try Pipeline(spec: spec, file: "web.yaml")])
        let runner = PipelineRunner(catalog: catalog, processor: ImageProcessor(pool: PixelPool(threads: 2)),
                                    sources: StoreSources(store: store), store: store)
        return (runner, store)
    }

    @Test("one job: features from the source, checks judged, outputs stored under content-derived keys")
    func run() async throws {
        let (runner, store) = try runner()
        let original = try Fixtures.data("natural/rocket.jpg")
        _ = try await store.put(try ObjectKey("in/rocket.jpg"), data: original)
        let result = try await runner.run(PipelineJob(pipeline: "web", version: "7", source: "in/rocket.jpg"))
        let id = PipelineRunner.imageID(of: original)
        #expect(result.imageID == id && id.count == 32)
        #expect(result.features.dimensions == .init(width: 640, height: 427))
        #expect(result.features.phash != nil && result.features.sharpness! > 0)
        #expect(!result.rejected && result.flags == ["min_sharpness"])
        #expect(result.outputs.map(\.key) == ["d/\(id)/thumb.webp", "d/\(id)/medium.jpg"])
        let thumb = try await store.get(try ObjectKey("d/\(id)/thumb.webp"))
        #expect(thumb.info.contentType == "image/webp")
        #expect(result.outputs[0].width == 64 && result.outputs[0].height == 64)
        #expect(result.outputs[1].width == 200 && (133...134).contains(result.outputs[1].height))
        // Golden check with a tolerance: the medium derivative looks like the source scaled.
        let medium = try VipsImage.load(try await store.get(try ObjectKey("d/\(id)/medium.jpg")).data)
        let expected = try VipsImage.thumbnail(original, width: medium.width, height: medium.height, size: .force)
        #expect(try ImageComparison.psnr(medium, expected) > 28)

        // At-least-once delivery: running it again rewrites the same keys.
        let again = try await runner.run(PipelineJob(pipeline: "web", version: "7", source: "in/rocket.jpg"))
        #expect(again.outputs.map(\.key) == result.outputs.map(\.key))
        #expect(try await store.listAll(prefix: "d/").count == 2)
    }

    @Test("a rejecting check stores no outputs")
    func rejected() async throws {
        let (runner, store) = try runner()
        let small = try Data(SyntheticImages.png(try SyntheticImages.quadrants(width: 100, height: 80)))
        _ = try await store.put(try ObjectKey("small.png"), data: small)
        let result = try await runner.run(PipelineJob(pipeline: "web", version: "7", source: "small.png"))
        #expect(result.rejected && result.outputs.isEmpty)
        #expect(result.checks.first == CheckOutcome(rule: "min_width", threshold: 300, value: 100, passed: false, action: .reject))
        #expect(try await store.listAll(prefix: "d/").isEmpty)
    }

    @Test("bad sources and bad images fail permanently; an unknown pipeline too")
    func permanentFailures() async throws {
        let (runner, store) = try runner()
        let queue = MemoryJobQueue()
        let handler = PipelineJobHandler(runner: runner, catalog: runner.catalog, queue: queue)
        _ = try await store.put(try ObjectKey("junk.jpg"), data: Data("not an image at all".utf8))
        for (pipeline, source) in [("web", "missing.jpg"), ("web", "junk.jpg"), ("nope", "junk.jpg")] {
            let job = try await queue.enqueue(NewJob(queue: PipelineJob.queue,
                                                     payload: PipelineJob(pipeline: pipeline, version: "7", source: source).encoded()))
            await #expect(throws: JobFailure.self) { _ = try await handler.handle(job) }
        }
    }
}
