import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import ImageModel
import ImageService
import Testing
import TestSupport

/// DICOM sources through the image routes, `info` and IIIF: the same URLs as photos.
@Suite struct DICOMServiceTests {
    @Test func infoReportsTheAttributesWithoutThePatient() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/info/plain/local:///ct.dcm", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["format"] as? String == "dicom")
                let dicom = try #require(json["dicom"] as? [String: Any])
                #expect(dicom["modality"] as? String == "CT")
                #expect(dicom["bitsStored"] as? Int == 16)
                #expect(dicom["studyInstanceUID"] as? String != nil)
                #expect(dicom["patient"] == nil)
            }
        }
        var settings = ImageServiceSettings()
        settings.dicomPatientData = true
        try await ServiceHarness.make(settings: settings).test { client in
            try await client.execute(uri: "/unsafe/info/plain/local:///ct.dcm", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let dicom = try #require(json["dicom"] as? [String: Any])
                #expect((dicom["patient"] as? [String: String])?["PatientName"] != nil)
            }
        }
    }

    @Test func imagesAndIIIFRenderAFrame() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/rs:fit:64:64/dw:lung/f:png/plain/local:///ct.dcm", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
            }
            try await client.execute(uri: "/iiif/3/ct.dcm/full/max/0/default.jpg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/jpeg")
            }
            // A frame past the first as an image of its own; the CT has one frame only.
            try await client.execute(uri: "/iiif/3/ct.dcm;frame=0/full/max/0/default.png", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/iiif/3/ct.dcm;frame=1/full/max/0/default.png", method: .get) { response in
                #expect(response.status.code == 415)
            }
            try await client.execute(uri: "/iiif/3/ct.dcm/info.json", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["width"] as? Int == 128)
            }
        }
    }

    @Test func aCodecTheToolkitLacksIsAClearError() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/f:png/plain/local:///j2k.dcm", method: .get) { response in
                #expect(response.status.code == 415)
                #expect(String(decoding: Data(buffer: response.body), as: UTF8.self).contains("JPEG 2000"))
            }
            try await client.execute(uri: "/unsafe/fr:5/f:png/plain/local:///ct.dcm", method: .get) { response in
                #expect(response.status.code == 415)
                #expect(String(decoding: Data(buffer: response.body), as: UTF8.self).contains("frame"))
            }
        }
    }
}
