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

    @Test("audit finds a planted disparity, gates on --max-disparity (exit 3), writes HTML, and names a missing path's line")
    func audits() async throws {
        let folder = try CLI.scratch()
        for name in ["square.png", "plain.png"] {
            try FileManager.default.copyItem(at: Fixtures.url("models/\(name)"), to: folder.appendingPathComponent(name))
        }
        // Group a is labelled truly; in group b, half the red labels sit on plain images: the
        // model misses them, so red's false-negative rate is 0 in a and 0.5 in b.
        let csv = folder.appendingPathComponent("labels.csv").path
        try Data("""
            path,label,site
            square.png,red,a
            plain.png,plain,a
            square.png,red,a
            plain.png,plain,a
            square.png,red,b
            plain.png,red,b
            square.png,red,b
            "plain.png",red,b

            """.utf8).write(to: URL(fileURLWithPath: csv))
        let html = folder.appendingPathComponent("audit.html").path
        let arguments = ["audit", "--model", Self.spec("red_square"), "--labels", csv, "--group-by", "site"]
        let passed = try await CLI.run(arguments + ["--html", html])
        #expect(passed.status == 0, "\(passed.stderr)")
        let audit = try #require(try JSONSerialization.jsonObject(with: passed.stdout) as? [String: Any])
        let groups = try #require(audit["groups"] as? [[String: Any]])
        #expect(groups.map { $0["accuracy"] as? Double } == [1.0, 0.5])
        let b = try #require((groups[1]["classes"] as? [String: [String: Double]])?["red"])
        #expect(b["false_negative_rate"] == 0.5 && b["recall"] == 0.5)
        let worst = try #require((audit["disparities"] as? [[String: Any]])?.first)
        #expect(worst["highest"] as? String == "b" && worst["lowest"] as? String == "a", "\(worst)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<svg"))

        let gated = try await CLI.run(arguments + ["--max-disparity", "1.5"])
        #expect(gated.status == 3 && gated.stderr.contains("site=b") && gated.stderr.contains("--max-disparity 1.5"), "\(gated.stderr)")

        try Data("path,label,site\nsquare.png,red,a\nmissing.png,red,b\n".utf8).write(to: URL(fileURLWithPath: csv))
        let missing = try await CLI.run(arguments)
        #expect(missing.status == 2 && missing.stderr.contains("labels.csv: line 3: path: no file at missing.png"), "\(missing.stderr)")
        let unknown = try await CLI.run(["audit", "--model", Self.spec("red_square"), "--labels", csv, "--group-by", "age"])
        #expect(unknown.status == 2 && unknown.stderr.contains("--group-by: no column 'age'"))
    }
}
