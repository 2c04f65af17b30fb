import Foundation
import Testing
import TestSupport

@Suite("darkroom storyboard")
struct StoryboardCommandTests {
    @Test("sheets and storyboard.vtt in the folder, one JSON line; bad input exits 1, refused values 2")
    func storyboard() async throws {
        let folder = try TemporaryFolder()
        let result = try await CLI.run(["storyboard", "--every", "1", "--width", "40", "--columns", "4",
                                        Fixtures.url("video/colours.webm").path, folder.path + "/board"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains("\"tiles\":3") && result.output.contains("\"sheets\":[\"storyboard-0.jpg\"]"))
        let vtt = try String(contentsOfFile: folder.path + "/board/storyboard.vtt", encoding: .utf8)
        #expect(vtt.hasPrefix("WEBVTT\n") && vtt.contains("00:00:02.000 --> 00:00:03.000\nstoryboard-0.jpg#xywh=80,0,40,30"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/board/storyboard-0.jpg"))

        let truncated = folder.path + "/cut.mp4"
        try Fixtures.data("video/colours.mp4").prefix(300).write(to: URL(fileURLWithPath: truncated))
        let broken = try await CLI.run(["storyboard", truncated, folder.path + "/cut"])
        #expect(broken.status == 1 && broken.stderr.contains("storyboard: \(truncated): video:"), "\(broken.stderr)")
        let refused = try await CLI.run(["storyboard", "--width", "4", truncated, folder.path + "/cut"])
        #expect(refused.status == 2 && refused.stderr.contains("width must be 16 to 1024"))
        let limited = try await CLI.run(["storyboard", "--max-src-pixels", "1000", Fixtures.url("video/colours.mp4").path, folder.path + "/big"])
        #expect(limited.status == 1 && limited.stderr.contains("max-src-pixels"), "\(limited.stderr)")
    }
}
