import Foundation
import Testing
import TestSupport

@Suite("darkroom predict and explain")
struct PredictCommandTests {
    static func spec(_ name: String) -> String { Fixtures.url("models/\(name).yaml").path }
    static func image(_ name: String) -> String { Fixtures.url("models/\(name)").path }

    @Test("predict prints one JSON line per image; a missing image is exit 1, a bad spec exit 2 naming the field")
    func predicts() async throws {
        let result = try await CLI.run(["predict", "--model", Self.spec("red_square"), Self.image("square.png"), Self.image("plain.png")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        let tops = lines.map { (($0?["labels"] as? [[String: Any]])?.first?["label"] as? String) }
        #expect(tops == ["red", "plain"] && lines.allSatisfy { $0?["model"] as? String == "red-square" })

        let missing = try await CLI.run(["predict", "--model", Self.spec("embed"), Self.image("square.png"), "/nonexistent.png"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent.png") && missing.output.contains("\"embedding\""))

        let folder = try CLI.scratch()
        let bad = folder.appendingPathComponent("bad.yaml").path
        try Data("name: x\npath: \(Self.image("red_square.onnx"))\ninput: {width: 32}\ntask: embed\n".utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try await CLI.run(["predict", "--model", bad, Self.image("square.png")])
        #expect(refused.status == 2 && refused.stderr.contains("bad.yaml: input.height: expected a value"), "\(refused.stderr)")
    }

    @Test("explain writes the heat map (PNG) and the raw map (JSON), and reports the peak on the square")
    func explains() async throws {
        let folder = try CLI.scratch()
        let heatmap = folder.appendingPathComponent("heat.png").path
        let result = try await CLI.run(["explain", "--model", Self.spec("red_square"), Self.image("square_large.png"), "-o", heatmap])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: String])
        #expect(line["label"] == "red" && Int(line["peak_x"]!).map { (80...112).contains($0) } == true
                && Int(line["peak_y"]!).map { (24...56).contains($0) } == true, "\(line)")
        let png = try Data(contentsOf: URL(fileURLWithPath: heatmap))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]))
        let map = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("heat.json"))) as? [String: Any]
        #expect((map?["drops"] as? [[Double]])?.count == 15)
    }
}
