import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import ObjectStorage
import Testing
import TestSupport
import Vips
@testable import Pipelines

/// The `inspect:` step: a golden reference from the object store, and checks on the result.
@Suite("Inspection in pipelines")
struct InspectionStepTests {
    static let spec = """
        name: line
        version: "1"
        inspect: {reference: golden/part.png, threshold: 45, min_area: 40}
        checks:
          - {max_defects: 0, action: reject}
          - {max_defect_area: 0.01, action: flag}
        outputs:
          - {name: thumb, recipe: "rs:fit:64:64/f:png", key: "l/{image_id}/{name}.{ext}"}
        """

    static func png(_ image: VipsImage) throws -> Data {
        Data(try image.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true)))
    }

    @Test("a clean part passes with its result; a damaged one is rejected; another part fails both checks as unaligned")
    func checks() async throws {
        let pipeline = try Pipeline(spec: Self.spec, file: "line.yaml")
        #expect(pipeline.inspection?.reference == "golden/part.png")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 2)),
                                    sources: StoreSources(store: store), store: store)
        let base = try VipsImage.load(try Fixtures.data("natural/coffee.jpg"))
        let golden = try base.extracted(left: 20, top: 20, width: 560, height: 360)
        let sample = try base.extracted(left: 24, top: 17, width: 560, height: 360).linear([1.1], [5]).cast(to: .uchar)
        let damaged = try sample.inserting(try SyntheticImages.solid(width: 40, height: 30, colour: [10, 10, 10]), x: 200, y: 100)
        let cat = try VipsImage.load(try Fixtures.data("natural/chelsea.jpg")).thumbnail(width: 560, height: 360, size: .force)
        for (key, image) in [("golden/part.png", golden), ("in/ok.png", sample), ("in/bad.png", damaged), ("in/cat.png", cat)] {
            _ = try await store.put(try ObjectKey(key), data: try Self.png(image))
        }
        let ok = try await runner.run(PipelineJob(pipeline: "line", version: "1", source: "in/ok.png"))
        #expect(!ok.rejected && ok.features.inspection?.status == .pass && ok.outputs.count == 1, "\(ok.checks)")
        let bad = try await runner.run(PipelineJob(pipeline: "line", version: "1", source: "in/bad.png"))
        #expect(bad.rejected && bad.outputs.isEmpty && bad.features.inspection?.defects.count == 1)
        let json = try JSONSerialization.jsonObject(with: bad.encoded()) as? [String: Any]
        let inspection = (json?["features"] as? [String: Any])?["inspection"] as? [String: Any]
        #expect(inspection?["status"] as? String == "defects" && inspection?["defect_area"] != nil)
        let other = try await runner.run(PipelineJob(pipeline: "line", version: "1", source: "in/cat.png"))
        #expect(other.rejected && other.features.inspection?.status == .unaligned && other.checks.allSatisfy { !$0.passed })
    }

    @Test("a defect check without an inspect: step, a missing reference key and bad options are spec errors", arguments: [
        ("name: a\nchecks: [{max_defects: 0}]\noutputs: [{name: t, recipe: rs:fit:9:9}]\n", "checks[0]"),
        ("name: a\ninspect: {threshold: 40}\noutputs: [{name: t, recipe: rs:fit:9:9}]\n", "inspect.reference"),
        ("name: a\ninspect: {reference: k, threshold: 0}\noutputs: [{name: t, recipe: rs:fit:9:9}]\n", "inspect.threshold"),
        ("name: a\ninspect: {reference: k, min_area: -1}\noutputs: [{name: t, recipe: rs:fit:9:9}]\n", "inspect.min_area"),
    ])
    func specErrors(spec: String, field: String) {
        #expect {
            _ = try Pipeline(spec: spec, file: "a.yaml")
        } throws: { error in
            String(describing: error).contains(field)
        }
    }

    @Test("a reference missing from the store fails the job permanently, naming the key")
    func missingReference() async throws {
        let pipeline = try Pipeline(spec: Self.spec, file: "line.yaml")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 1)),
                                    sources: StoreSources(store: store), store: store)
        _ = try await store.put(try ObjectKey("in/ok.jpg"), data: try Fixtures.data("natural/coffee.jpg"))
        await #expect {
            _ = try await runner.run(PipelineJob(pipeline: "line", version: "1", source: "in/ok.jpg"))
        } throws: { error in
            guard case let .unavailable(detail) = error as? PipelineError else { return false }
            return detail.contains("golden/part.png")
        }
    }
}
