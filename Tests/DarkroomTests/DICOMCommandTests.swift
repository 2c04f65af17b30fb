import Foundation
import Testing
import TestSupport

@Suite("darkroom dicom deidentify")
struct DICOMCommandTests {
    @Test("a folder in, a folder out: one JSON line per file, exit 3 while no file declares its pixels clean")
    func folder() async throws {
        let folder = try TemporaryFolder()
        let input = folder.path + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for name in ["CT_small.dcm", "MR_small.dcm"] {
            try FileManager.default.copyItem(atPath: Fixtures.url("dicom/\(name)").path, toPath: input + "/" + name)
        }
        try Data("not dicom".utf8).write(to: URL(fileURLWithPath: input + "/notes.txt"))
        let result = try await CLI.run(["dicom", "deidentify", "--key", "k", input, folder.path + "/out"])
        let lines = result.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3)
        #expect(lines.filter { $0["output"] != nil }.count == 2)
        #expect(lines.first { ($0["file"] as? String)?.hasSuffix("notes.txt") == true }?["error"] != nil)
        // A file failed, which outranks "not declared clean".
        #expect(result.status == 1)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/CT_small.dcm"))

        try FileManager.default.removeItem(atPath: input + "/notes.txt")
        let clean = try await CLI.run(["dicom", "deidentify", "--key", "k", input, folder.path + "/again"])
        #expect(clean.status == 3, "\(clean.stderr)")
        #expect(clean.stderr.contains("burned-in"))
        #expect(clean.output.contains("\"burned_in_annotation\":\"unknown\""))

        // A file over the byte limit is reported from its size, never read.
        let limited = try await CLI.run(["dicom", "deidentify", "--key", "k", "--max-src-bytes", "1000", input, folder.path + "/small"])
        #expect(limited.status == 1)
        #expect(limited.output.contains("max-src-bytes"))
    }
}
