import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("darkroom process")
struct ProcessCommandTests {
    @Test("processes folders recursively, goes on past bad files, and summarises")
    func folders() async throws {
        let dir = try CLI.scratch()
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url("natural/rocket.jpg"), to: input.appendingPathComponent("rocket.jpg"))
        try FileManager.default.copyItem(at: Fixtures.url("formats/hopper.png"), to: input.appendingPathComponent("nested/hopper.png"))
        try FileManager.default.copyItem(at: Fixtures.url("formats/hopper.webp"), to: input.appendingPathComponent("nested/deeper/h.webp"))
        try CorruptedInputs.truncated(try Fixtures.data("natural/grace_hopper.jpg"), fraction: 0.3)
            .write(to: input.appendingPathComponent("nested/broken.jpg"))
        try Data("notes".utf8).write(to: input.appendingPathComponent("notes.txt"))
        let output = dir.appendingPathComponent("out")

        let result = try await CLI.run(["process", "--recipe", "rs:fit:50:50/q:80", "--output", output.path, input.path,
                                  Fixtures.url("formats/hopper.gif").path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.output.contains("processed: 4"))
        #expect(result.output.contains("failed: 1"))
        #expect(result.output.contains("broken.jpg: cannot decode image"))
        #expect(result.output.contains("images/s:"))
        #expect(result.output.contains("bytes in:") && result.output.contains("bytes out:"))
        #expect(result.stderr.contains("[5/5]"))  // plain progress lines when not on a terminal
        for path in ["rocket.jpg", "nested/hopper.jpg", "nested/deeper/h.jpg", "hopper.jpg"] {
            let header = try VipsImage.probe(try Data(contentsOf: output.appendingPathComponent(path)))
            #expect(max(header.width, header.height) == 50, "\(path)")
        }
    }

    @Test("exits 0 when every image succeeds")
    func allGood() async throws {
        let dir = try CLI.scratch()
        let result = try await CLI.run(["process", "--recipe", "rs:fill:32:32/f:webp", "--output", dir.path, "--jobs", "2",
                                  Fixtures.url("formats/hopper.png").path, Fixtures.url("natural/rocket.jpg").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains("processed: 2") && result.output.contains("failed: 0"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rocket.webp").path))
    }
}
