import ImageModel
import Foundation
import Media
import Testing
import TestSupport
import Vips

/// De-identification checked with pydicom, attribute by attribute, and read back by DCMTK.
@Suite("DICOM de-identification", .enabled(if: PydicomReference.python != nil, PydicomReference.absence))
struct DICOMDeidentifierTests {
    struct Check: Decodable {
        let violations: [String]
        let uids: [String: String]
        let study: String
    }

    /// De-identifies a fixture with `key` and has pydicom check the result against the profile.
    static func deidentify(_ name: String, key: String, folder: TemporaryFolder) throws -> (DICOMDeidentifier.Report, Check, String) {
        let output = folder.path + "/\(key)-\(name)"
        let report = try DICOMDeidentifier(key: Data(key.utf8)).deidentify(try Fixtures.data("dicom/\(name)"), writingTo: output)
        let rules = folder.path + "/rules.json"
        try JSONSerialization.data(withJSONObject: DICOMDeidentifier.profile.map { [$0.group, $0.element, $0.action] })
            .write(to: URL(fileURLWithPath: rules))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pydicom_deidentified.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PydicomReference.python!)
        process.arguments = [script.path, Fixtures.url("dicom/\(name)").path, output, rules]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let printed = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pydicom could not read \(output)")
        return (report, try JSONDecoder().decode(Check.self, from: printed), output)
    }

    @Test("none of the profile's attributes and no private element survive; pydicom and DCMTK read the result",
          arguments: ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "SC_rgb_jpeg_dcmtk.dcm",
                      "rtplan.dcm", "SC_rgb_rle_2frame.dcm"])
    func profile(_ name: String) async throws {
        try await BlockingWork.run { try Self.profileBody(name) }
    }

    static func profileBody(_ name: String) throws {
        let folder = try TemporaryFolder()
        let (report, check, output) = try deidentify(name, key: "study-key", folder: folder)
        #expect(check.violations.isEmpty, "\(check.violations)")
        #expect(report.uidsReplaced > 0)
        // DCMTK reads it back, and an image still renders: pixel data is untouched.
        let file = try DICOMFile(bytes: try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(file.string(.patientName)?.isEmpty ?? true)
        if name != "rtplan.dcm" {
            let rendered = try DICOMSource(bytes: try Data(contentsOf: URL(fileURLWithPath: output)))
                .render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30).pixelBytes()
            let original = try DICOMSource(bytes: try Fixtures.data("dicom/\(name)"))
                .render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30).pixelBytes()
            #expect(rendered == original)
        }
    }

    @Test("the same UID under the same key becomes the same new UID; another key gives another")
    func consistentUIDs() async throws {
        try await BlockingWork.run { try Self.consistentUIDsBody() }
    }

    static func consistentUIDsBody() throws {
        let folder = try TemporaryFolder()
        let (_, first, _) = try Self.deidentify("MR_small.dcm", key: "a", folder: folder)
        let (_, second, _) = try Self.deidentify("MR_small_implicit.dcm", key: "a", folder: folder)
        let (_, other, _) = try Self.deidentify("MR_small.dcm", key: "b", folder: folder)
        // The two encodings of one slice share their study: under one key, so do the results.
        #expect(first.study == second.study)
        #expect(first.study != other.study)
        #expect(first.study.hasPrefix("2.25.") && first.study.count <= 64)
        let deidentifier = DICOMDeidentifier(key: Data("a".utf8))
        #expect(first.uids.allSatisfy { deidentifier.replacementUID(for: $0.key) == $0.value })
    }

    @Test("burned-in annotation is reported, never passed as clean")
    func burnedIn() async throws {
        try await BlockingWork.run { try Self.burnedInBody() }
    }

    static func burnedInBody() throws {
        let folder = try TemporaryFolder()
        let (report, _, _) = try Self.deidentify("CT_small.dcm", key: "k", folder: folder)
        #expect(report.burnedInAnnotation == nil)
        #expect(!report.pixelsDeclaredClean)
    }
}
