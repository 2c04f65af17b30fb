import Foundation
import ImageAnalysis
import ImageProcessing
import ObjectStorage
import Testing
import TestSupport
import Vips
@testable import Pipelines

/// Quality checks: `max_clipped`, `min_luminance` and the rest measure the `quality` feature,
/// which a pipeline measures whenever a check needs it.
@Suite("Quality checks")
struct QualityCheckTests {
    @Test("a black frame fails max_clipped and min_luminance (rejected, no outputs); a photo passes and carries its scores")
    func rejectsDarkFrames() async throws {
        let spec = """
            name: qc
            version: "1"
            checks:
              - {max_clipped: 0.5, action: reject}
              - {min_luminance: 0.05, action: flag}
              - {min_colourfulness: 5, action: flag}
            outputs:
              - {name: thumb, recipe: "rs:fit:32:32/f:png", key: "q/{image_id}/{name}.{ext}"}
            """
        let pipeline = try Pipeline(spec: spec, file: "qc.yaml")
        #expect(pipeline.features.contains(.quality))
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 2)),
                                    sources: StoreSources(store: store), store: store)
        let black = try SyntheticImages.png(SyntheticImages.solid(width: 64, height: 48, colour: [0, 0, 0]))
        _ = try await store.put(try ObjectKey("in/black.png"), data: Data(black))
        _ = try await store.put(try ObjectKey("in/rocket.jpg"), data: try Fixtures.data("natural/rocket.jpg"))
        let dark = try await runner.run(PipelineJob(pipeline: "qc", version: "1", source: "in/black.png"))
        #expect(dark.rejected && dark.outputs.isEmpty && dark.features.quality?.clippedShadows == 1)
        #expect(dark.checks.map(\.passed) == [false, false, false])
        let photo = try await runner.run(PipelineJob(pipeline: "qc", version: "1", source: "in/rocket.jpg"))
        #expect(!photo.rejected && photo.outputs.count == 1 && photo.flags.isEmpty, "\(photo.checks)")
        let json = try JSONSerialization.jsonObject(with: photo.encoded()) as? [String: Any]
        let quality = (json?["features"] as? [String: Any])?["quality"] as? [String: Any]
        #expect(quality?["mean_luminance"] != nil && quality?["colourfulness"] != nil && quality?["noise"] != nil)
    }
}
