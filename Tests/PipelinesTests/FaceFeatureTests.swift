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

/// `features: [faces]` and face-blurred outputs in a pipeline, with the real CenterFace detector.
@Suite("Faces in pipelines")
struct FaceFeatureTests {
    static let spec = """
        name: privacy
        version: "1"
        preprocess: "rs:fit:1024:1024"
        features: [faces]
        outputs:
          - {name: public, recipe: "rs:fit:256:256/bd:20:face/f:png", key: "p/{image_id}/{name}.{ext}"}
        """

    @Test("the faces come back in source pixels with landmarks, and the public copy has them blurred away")
    func faces() async throws {
        let pipeline = try Pipeline(spec: Self.spec, file: "privacy.yaml")
        let detector = try FaceDetector(models: FaceModels(folder: FaceFixtures.models))
        let processor = ImageProcessor(pool: PixelPool(threads: 2)).detecting(with: detector, absence: "")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: processor, sources: StoreSources(store: store), store: store)
        _ = try await store.put(try ObjectKey("in/astronaut.jpg"), data: try Fixtures.data("faces/astronaut.jpg"))
        let result = try await runner.run(PipelineJob(pipeline: "privacy", version: "1", source: "in/astronaut.jpg"))
        let face = try #require(result.features.faces?.first)
        let label = try #require(try FaceFixtures.labels()["faces/astronaut.jpg"]?.first)
        #expect(label.iou(face.box) > 0.5)
        #expect(face.landmarks?.count == 5)
        let json = try JSONSerialization.jsonObject(with: result.encoded()) as? [String: Any]
        #expect(((json?["features"] as? [String: Any])?["faces"] as? [[String: Any]])?.first?["box"] != nil)
        let output = try await store.get(try ObjectKey(try #require(result.outputs.first?.key)))
        let reader = FaceReader(processor: processor)
        #expect(try await reader.faces(of: .bytes(output.data)).isEmpty)
    }

    @Test("without a detector the job fails before its source is read, saying why: for the feature and for an output that blurs faces",
          arguments: [FaceFeatureTests.spec, FaceFeatureTests.spec.replacingOccurrences(of: "features: [faces]\n", with: "")])
    func noDetector(spec: String) async throws {
        let pipeline = try Pipeline(spec: spec, file: "privacy.yaml")
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: nil, absence: "face detection is turned off")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: processor, sources: StoreSources(store: store), store: store)
        await #expect(throws: ProcessingError.detectorUnavailable("face detection is turned off")) {
            _ = try await runner.run(PipelineJob(pipeline: "privacy", version: "1", source: "in/none.jpg"))
        }
    }
}
