import ImageModel
import Foundation
import ImageProcessing
import Inference
import JobQueue
import ObjectStorage
import Scheduling
import Similarity
import Testing
import TestSupport
@testable import Pipelines

/// `models:` in a pipeline: each image goes through the named models (batched with other jobs),
/// their predictions land in the result, and `label:` checks act on them.
@Suite("Models in pipelines")
struct ModelPipelineTests {
    static let spec = """
        name: moderate
        version: "1"
        models: [red-square]
        checks:
          - label: {name: red, min_score: 0.9, action: reject}
        outputs:
          - {name: thumb, recipe: "rs:fit:16:16/f:png", key: "m/{image_id}/{name}.{ext}"}
        """

    @Test("predictions land in the result; a label over its score rejects the image and stores nothing")
    func moderates() async throws {
        let pool = PixelPool(threads: 2)
        let models = try await ModelRegistry.load(folder: Fixtures.url("models").path, runtime: OpenCVRuntime(), pool: pool)
        let store = MemoryObjectStore()
        let catalog = PipelineCatalog([try Pipeline(spec: Self.spec, file: "moderate.yaml")])
        let runner = PipelineRunner(catalog: catalog, processor: ImageProcessor(pool: pool), sources: StoreSources(store: store),
                                    store: store, models: models)
        for name in ["square.png", "plain.png"] {
            _ = try await store.put(try ObjectKey("in/\(name)"), data: try Fixtures.data("models/\(name)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await models.run() }
            let red = try await runner.run(PipelineJob(pipeline: "moderate", version: "1", source: "in/square.png"))
            #expect(red.rejected && red.outputs.isEmpty)
            #expect(red.predictions?.first?.model == "red-square" && red.predictions?.first?.labels?.first?.label == "red")
            let plain = try await runner.run(PipelineJob(pipeline: "moderate", version: "1", source: "in/plain.png"))
            #expect(!plain.rejected && plain.outputs.count == 1 && plain.predictions?.first?.labels?.first?.label == "plain")
            let json = try JSONSerialization.jsonObject(with: plain.encoded()) as? [String: Any]
            #expect(((json?["predictions"] as? [[String: Any]])?.first?["labels"] as? [[String: Any]])?.count == 2)
            group.cancelAll()
        }
    }

    @Test("an embedding model's vectors join the similarity index: a looks-like search finds the closest image first")
    func embeds() async throws {
        let pool = PixelPool(threads: 2)
        let models = try await ModelRegistry.load(folder: Fixtures.url("models").path, runtime: OpenCVRuntime(), pool: pool)
        let store = MemoryObjectStore(), index = MemorySimilarityIndex()
        let spec = "name: look\nversion: \"1\"\nmodels: [embed]\noutputs: []\nfeatures: [dimensions]\n"
        let runner = PipelineRunner(catalog: PipelineCatalog([try Pipeline(spec: spec, file: "look.yaml")]), processor: ImageProcessor(pool: pool),
                                    sources: StoreSources(store: store), store: store, index: index, models: models)
        for name in ["square.png", "plain.png"] {
            _ = try await store.put(try ObjectKey("in/\(name)"), data: try Fixtures.data("models/\(name)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await models.run() }
            let square = try await runner.run(PipelineJob(pipeline: "look", version: "1", source: "in/square.png"))
            let plain = try await runner.run(PipelineJob(pipeline: "look", version: "1", source: "in/plain.png"))
            let vector = try #require(square.predictions?.first?.embedding)
            let found = try await index.searchEmbeddings(EmbeddingQuery(model: "embed", vector: vector))
            #expect(found.map(\.imageID) == [square.imageID, plain.imageID] && found[0].score > 0.999 && found[1].score < found[0].score)
            #expect(found[0].key == "in/square.png")
            group.cancelAll()
        }
    }

    @Test("a label check needs models; the models join the pipeline's resources, and an unknown model is named")
    func specs() throws {
        #expect(throws: PipelineError.invalidSpec(file: "x.yaml", field: "checks[0].label", expected: "a pipeline with models: to give labels")) {
            try Pipeline(spec: Self.spec.replacingOccurrences(of: "models: [red-square]\n", with: ""), file: "x.yaml")
        }
        var gpu = try ModelSpec.read(file: Fixtures.url("models/red_square.yaml").path)
        gpu.resources = ResourceRequest(cpu: 1, gpu: 0.5)
        let catalog = try PipelineCatalog([try Pipeline(spec: Self.spec, file: "moderate.yaml")]).requiring(models: [gpu])
        #expect(try catalog.pipeline(named: "moderate").resources.gpu == 0.5)
        #expect(throws: PipelineError.self) { try PipelineCatalog([try Pipeline(spec: Self.spec, file: "m.yaml")]).requiring(models: []) }
    }

    @Test("a pass past timeout_ms fails the job to be retried (not permanently); the same worker then runs the next job")
    func timedOutJobIsRetried() async throws {
        let resnet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".models/onnx-1.17.0/light_resnet50.onnx").path
        try #require(FileManager.default.fileExists(atPath: resnet), "run scripts/bootstrap")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("name: slow\npath: \(resnet)\ninput: {width: 224, height: 224}\ntask: embed\ntimeout_ms: 1\n".utf8)
            .write(to: folder.appendingPathComponent("slow.yaml"))
        for name in ["red_square.yaml", "red_square.onnx", "red_square.labels"] {
            try FileManager.default.copyItem(at: Fixtures.url("models/\(name)"), to: folder.appendingPathComponent(name))
        }
        let pool = PixelPool(threads: 2)
        let models = try await ModelRegistry.load(folder: folder.path, runtime: OpenCVRuntime(), pool: pool)
        let store = MemoryObjectStore(), queue = MemoryJobQueue()
        let catalog = PipelineCatalog([try Pipeline(spec: "name: slow\nmodels: [slow]\noutputs: []\nfeatures: [dimensions]\n", file: "s.yaml"),
                                       try Pipeline(spec: Self.spec, file: "moderate.yaml")])
        let runner = PipelineRunner(catalog: catalog, processor: ImageProcessor(pool: pool), sources: StoreSources(store: store),
                                    store: store, models: models)
        let handler = PipelineJobHandler(runner: runner, catalog: catalog, queue: queue)
        _ = try await store.put(try ObjectKey("in/plain.png"), data: try Fixtures.data("models/plain.png"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await models.run() }
            let slow = try await queue.enqueue(NewJob(queue: PipelineJob.queue,
                                                      payload: PipelineJob(pipeline: "slow", version: catalog.pipeline(named: "slow").version,
                                                                           source: "in/plain.png").encoded()))
            do {
                _ = try await handler.handle(slow)
                Issue.record("the slow model's job completed")
            } catch {
                #expect(!(error is JobFailure) && "\(error)".contains("timeout_ms"), "\(error)")
            }
            let next = try await queue.enqueue(NewJob(queue: PipelineJob.queue,
                                                      payload: PipelineJob(pipeline: "moderate", version: "1", source: "in/plain.png").encoded()))
            #expect(try await handler.handle(next) != nil)
            group.cancelAll()
        }
    }
}
