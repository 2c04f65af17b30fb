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

@Suite("darkroom motion")
struct MotionCommandTests {
    @Test("a summary line with the frames and the real-time factor; cuts are not motion; bad values exit 2")
    func motion() async throws {
        let result = try await CLI.run(["motion", "--fps", "10", Fixtures.url("video/colours.mp4").path])
        #expect(result.status == 0, "\(result.stderr)")
        // Each second is one flat colour: the changes are cuts of the whole picture, not motion.
        #expect(!result.output.contains("motion.started"))
        #expect(result.output.contains("\"frames\":30") && result.output.contains("\"realtime\":"), "\(result.output)")
        let refused = try await CLI.run(["motion", "--min-area", "2", Fixtures.url("video/colours.mp4").path])
        #expect(refused.status == 2 && refused.stderr.contains("--min-area must be"))
        let missing = try await CLI.run(["motion", "/nonexistent/clip.mp4"])
        #expect(missing.status != 0 && missing.stderr.contains("no such file"))
    }
}
