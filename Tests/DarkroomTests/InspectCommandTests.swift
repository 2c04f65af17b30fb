import Foundation
import Testing
import TestSupport
import Vips

@Suite("darkroom inspect")
struct InspectCommandTests {
    @Test("a clean part exits 0, a damaged one 3 with its defect and an overlay; another framing is a clear error")
    func inspect() async throws {
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let base = try VipsImage.load(try Fixtures.data("natural/coffee.jpg"))
        func save(_ image: VipsImage, _ name: String) throws -> String {
            let path = root.appendingPathComponent(name).path
            try image.encoded(.jpeg(quality: 92, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true))
                .write(to: URL(fileURLWithPath: path))
            return path
        }
        let golden = try save(try base.extracted(left: 20, top: 20, width: 560, height: 360), "golden.jpg")
        let sample = try base.extracted(left: 23, top: 18, width: 560, height: 360)
        let clean = try save(sample, "clean.jpg")
        let damaged = try save(try sample.inserting(try SyntheticImages.solid(width: 40, height: 30, colour: [250, 250, 250]), x: 100, y: 200),
                               "damaged.jpg")
        let ok = try await CLI.run(["inspect", "--reference", golden, clean])
        #expect(ok.status == 0 && ok.output.contains("\"status\":\"pass\""), "\(ok.output) \(ok.stderr)")
        let overlays = root.appendingPathComponent("overlays").path
        let bad = try await CLI.run(["inspect", "--reference", golden, "--output", overlays, clean, damaged])
        #expect(bad.status == 3, "\(bad.stderr)")
        #expect(bad.output.contains("\"status\":\"defects\"") && bad.output.contains("damaged.overlay.png"))
        #expect(FileManager.default.fileExists(atPath: overlays + "/damaged.overlay.png"))
        let wrong = try await CLI.run(["inspect", "--reference", golden, Fixtures.url("natural/rocket.jpg").path])
        #expect(wrong.status == 1 && wrong.stderr.contains("does not fit the reference"), "\(wrong.stderr)")
        let missing = try await CLI.run(["inspect", "--reference", "/nonexistent.jpg", clean])
        #expect(missing.status == 2 && missing.stderr.contains("--reference"))
    }
}
