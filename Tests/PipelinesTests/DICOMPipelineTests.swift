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

/// DICOM sources in pipelines: the `dicom` feature, a windowed preview, and a de-identified copy.
@Suite("DICOM in pipelines")
struct DICOMPipelineTests {
    static let spec = """
        name: radiology
        version: "1"
        features: [dicom]
        outputs:
          - {name: preview, recipe: "dw:lung/rs:fit:64:64/f:png"}
          - {name: anon, deidentify: dicom, key: "anon/{image_id}.{ext}"}
        """

    static func run(key: Data?) async throws -> (PipelineResult, MemoryObjectStore) {
        let pipeline = try Pipeline(spec: Self.spec, file: "radiology.yaml")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 1)),
                                    sources: StoreSources(store: store), store: store, dicomKey: key)
        _ = try await store.put(try ObjectKey("in/ct.dcm"), data: try Fixtures.data("dicom/CT_small.dcm"))
        return (try await runner.run(PipelineJob(pipeline: "radiology", version: "1", source: "in/ct.dcm")), store)
    }

    @Test("the attributes without the patient, a preview, and a de-identified copy flagged for burned-in text")
    func radiology() async throws {
        let (result, store) = try await Self.run(key: Data("site-key".utf8))
        let dicom = try #require(result.features.dicom)
        #expect(dicom.modality == "CT" && dicom.patient == nil && dicom.bitsStored == 16)
        let preview = try #require(result.outputs.first { $0.name == "preview" })
        #expect((preview.width, preview.height) == (64, 64))
        let anon = try #require(result.outputs.first { $0.name == "anon" })
        #expect(anon.format == "dicom" && anon.key == "anon/\(result.imageID).dcm")
        let copy = try await store.get(try ObjectKey(anon.key)).data
        #expect(!copy.contains(Data("CompressedSamples^CT1".utf8)))
        #expect(copy.contains(Data("ANONYMIZED".utf8)) || copy.contains(Data("YES".utf8)))
        // Absent Burned In Annotation is not clean.
        #expect(result.flags.contains("burned_in_annotation"))
    }

    @Test("without a key the job fails before reading, saying why; the spec names a wrong kind")
    func refusals() async throws {
        await #expect { try await Self.run(key: nil) } throws: { error in
            guard case let .unavailable(message) = error as? PipelineError else { return false }
            return message.contains("DARKROOM_DICOM_KEY")
        }
        #expect { try Pipeline(spec: Self.spec.replacingOccurrences(of: "deidentify: dicom", with: "deidentify: jpeg"), file: "r.yaml") }
            throws: { "\($0)".contains("outputs[1].deidentify") }
    }
}
