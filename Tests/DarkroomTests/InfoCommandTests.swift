import Foundation
import Testing
import TestSupport

@Suite("darkroom info")
struct InfoCommandTests {
    @Test("prints one JSON object per file with the header facts")
    func info() async throws {
        let result = try await CLI.run(["info", Fixtures.url("natural/rocket.jpg").path, Fixtures.url("pngsuite/basn6a08.png").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2)
        let rocket = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(rocket["format"] as? String == "jpeg")
        #expect(rocket["width"] as? Int == 640 && rocket["height"] as? Int == 427)
        #expect(rocket["bands"] as? Int == 3 && rocket["orientation"] as? Int == 1)
        #expect(rocket["alpha"] as? Bool == false && rocket["icc"] as? Bool == true)
        #expect(rocket["pages"] as? Int == 1 && rocket["bytes"] as? Int == 112_525)
        let png = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect(png["alpha"] as? Bool == true)
    }

    @Test("a DICOM file: its attributes, the patient's only when asked for")
    func dicom() async throws {
        let file = Fixtures.url("dicom/CT_small.dcm").path
        let plain = try await CLI.run(["info", file])
        #expect(plain.status == 0, "\(plain.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plain.output.utf8)) as? [String: Any])
        let dicom = try #require(json["dicom"] as? [String: Any])
        #expect(json["format"] as? String == "dicom" && dicom["modality"] as? String == "CT" && dicom["patient"] == nil)
        let full = try await CLI.run(["info", "--dicom-patient-data", file])
        #expect(full.output.contains("PatientName"))
    }

    @Test("a missing or broken file is reported and exits 1")
    func failure() async throws {
        let result = try await CLI.run(["info", "/nonexistent.jpg"])
        #expect(result.status == 1)
        #expect(result.output.contains("\"error\""))
    }

    @Test("--formats lists the engine's loaders, served or blocked, and its savers")
    func formats() async throws {
        let result = try await CLI.run(["info", "--formats"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        let loaders = try #require(object["loaders"] as? [String: String])
        let savers = try #require(object["savers"] as? [String])
        #expect((object["libvips"] as? String)?.hasPrefix("8.") == true)
        for served in ["jpegload_buffer", "pngload_buffer", "webpload_buffer", "gifload_buffer", "tiffload", "heifload_buffer"] {
            #expect(loaders[served] == "served", "\(served)")
        }
        // Whatever else this libvips build has is blocked: SVG, PDF, JPEG XL, ImageMagick, vips' own…
        let others = loaders.filter { $0.value == "served" }.keys.filter {
            !["jpeg", "uhdr", "png", "webp", "gif", "tiff", "heif"].contains(where: $0.hasPrefix)
        }
        #expect(others.isEmpty, "served beyond the six formats: \(others.sorted())")
        #expect(loaders["vipsload"] == "blocked")
        #expect(savers.contains("jpegsave_buffer") && savers.contains("heifsave_buffer"))
    }
}
