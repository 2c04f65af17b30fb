import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageProcessing
@testable import ImageService
import JobQueue
import NIOCore
import NIOFoundationEssentialsCompat
import ObjectStorage
import Pipelines
import Testing
import TestSupport
import Vips

/// DICOMweb's rendered and metadata routes over instances indexed at upload.
@Suite("DICOMweb")
struct DICOMwebTests {
    static func setup(patientData: Bool = false) throws -> ServiceHarness {
        let store = MemoryObjectStore()
        return try ServiceHarness.make { processor in
            V1API(queue: MemoryJobQueue(), catalog: PipelineCatalog([]), store: store, processor: processor, onUpload: [],
                  dicomPatientData: patientData)
        }
    }

    /// Uploads a fixture; returns its study, series and instance path.
    static func upload(_ client: some TestClientProtocol, _ name: String) async throws -> String {
        let bytes = try Fixtures.data("dicom/\(name)")
        let status = try await client.execute(uri: "/v1/images", method: .post, headers: [.contentType: "application/dicom"],
                                              body: ByteBuffer(data: bytes)) { Int($0.status.code) }
        #expect(status == 202)
        // The UIDs as the file states them (the harness's local root has the same CT as ct.dcm).
        let info = try await client.execute(uri: "/unsafe/info/plain/local:///ct.dcm", method: .get) { $0.json }
        let uids = try #require(info["dicom"] as? [String: Any])
        return "/dicomweb/studies/\(uids["studyInstanceUID"]!)/series/\(uids["seriesInstanceUID"]!)/instances/\(uids["sopInstanceUID"]!)"
    }

    @Test("an uploaded instance renders with a window and a viewport, frame by frame, as JPEG or PNG")
    func rendered() async throws {
        try await Self.setup().test { client in
            let instance = try await Self.upload(client, "CT_small.dcm")
            try await client.execute(uri: instance + "/rendered?window=40,400&viewport=64,64&quality=90", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/jpeg")
                let image = try VipsImage.load(Data(buffer: response.body))
                #expect((image.width, image.height) == (64, 64))
            }
            try await client.execute(uri: instance + "/frames/1/rendered", method: .get, headers: [.accept: "image/png"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
            }
            try await client.execute(uri: instance + "/frames/2/rendered", method: .get) { response in
                #expect(response.status.code == 415)
            }
            try await client.execute(uri: instance + "/rendered?window=forty", method: .get) { response in
                #expect(response.status.code == 400)
                #expect(String(decoding: Data(buffer: response.body), as: UTF8.self).contains("window"))
            }
            try await client.execute(uri: "/dicomweb/studies/1.2/series/3.4/instances/5.6/rendered", method: .get) { response in
                #expect(response.status.code == 404)
            }
            try await client.execute(uri: "/dicomweb/studies/1.2/series/x/instances/5.6/rendered", method: .get) { response in
                #expect(response.status.code == 400)
            }
        }
    }

    @Test("Accept picks the rendered type by q-value, then by order; JPEG otherwise")
    func acceptedTypes() {
        #expect(DICOMwebController.format(accept: "image/png") == "png")
        #expect(DICOMwebController.format(accept: "image/jpeg, image/png;q=0.5") == "jpg")
        #expect(DICOMwebController.format(accept: "image/png;q=0.2, image/webp;q=0.9") == "webp")
        #expect(DICOMwebController.format(accept: "image/png;q=0, */*") == "jpg")
        #expect(DICOMwebController.format(accept: "") == "jpg")
    }

    @Test("metadata is DICOM JSON without Pixel Data, and without the patient unless allowed")
    func metadata() async throws {
        for allowed in [false, true] {
            try await Self.setup(patientData: allowed).test { client in
                let instance = try await Self.upload(client, "CT_small.dcm")
                try await client.execute(uri: instance + "/metadata", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/dicom+json")
                    let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                    let object = try #require(list.first)
                    let modality = try #require(object["00080060"] as? [String: Any])
                    #expect(modality["vr"] as? String == "CS" && (modality["Value"] as? [String]) == ["CT"])
                    #expect(object["7FE00010"] == nil)
                    #expect((object["00100010"] != nil) == allowed)
                    #expect((object["00100020"] != nil) == allowed)
                }
            }
        }
    }
}
