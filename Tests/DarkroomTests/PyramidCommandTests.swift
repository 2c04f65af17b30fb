import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("darkroom pyramid")
struct PyramidCommandTests {
    @Test("writes a tiled TIFF whose pages halve, and refuses a name that is not .tif")
    func pyramid() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("grid.png")
        try Data(try SyntheticImages.png(try SyntheticImages.grid(columns: 20, rows: 12))).write(to: input)
        let output = dir.appendingPathComponent("grid.tif").path
        let result = try await CLI.run(["pyramid", input.path, output, "--quality", "80"])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        let header = try VipsImage.probe(data)
        #expect(header.format == "tiff" && header.width == 2000 && header.height == 1200)
        #expect(header.pages >= 3, "levels: \(header.pages)")
        let level = try VipsImage.load(data, reduction: .page(2))
        #expect(level.width == 500 && level.height == 300)
        #expect(try await CLI.run(["pyramid", input.path, dir.appendingPathComponent("x.jpg").path]).status == 2)
    }
}
