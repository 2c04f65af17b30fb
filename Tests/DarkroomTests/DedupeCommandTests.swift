import Foundation
import Testing
import TestSupport
import Vips

@Suite("darkroom dedupe, index and search")
struct DedupeCommandTests {
    /// A folder of the test photos plus a resized WebP of one, a mirrored JPEG of another, an
    /// exact copy of a third (under a name with a comma) and a file that is not an image.
    static func folder() throws -> URL {
        let root = try CLI.scratch()
        let sub = root.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in SignatureFixtures.photos {
            try FileManager.default.copyItem(at: Fixtures.url("natural/\(name).jpg"), to: root.appendingPathComponent("\(name).jpg"))
        }
        let rocket = try SignatureFixtures.photo("rocket")
        try rocket.resized(horizontal: 0.4, vertical: 0.4).encoded(.webp(quality: 70, lossless: false, effort: 2, strip: true))
            .write(to: sub.appendingPathComponent("rocket-small.webp"))
        try SignatureFixtures.photo("chelsea").flipped(.horizontal)
            .encoded(.jpeg(quality: 50, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true))
            .write(to: sub.appendingPathComponent("chelsea-mirror.jpg"))
        try FileManager.default.copyItem(at: Fixtures.url("natural/coffee.jpg"), to: sub.appendingPathComponent("coffee, copy.jpg"))
        try Data("not an image".utf8).write(to: sub.appendingPathComponent("broken.jpg"))
        return root
    }

    @Test("groups copies into clusters with their pairs; a non-image is reported and gives exit 2; csv and html too")
    func dedupe() async throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await CLI.run(["dedupe", root.path])
        #expect(result.status == 2, "a refused format exits 2, as transform does")
        #expect(result.stderr.contains("broken.jpg"))
        let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
        let groups = (report["groups"] as? [[String]] ?? []).map { Set($0.map { URL(fileURLWithPath: $0).lastPathComponent }) }
        #expect(Set(groups) == [["rocket.jpg", "rocket-small.webp"], ["chelsea.jpg", "chelsea-mirror.jpg"],
                                ["coffee.jpg", "coffee, copy.jpg"]], "\(groups)")
        let pairs = report["pairs"] as? [[String: Any]] ?? []
        #expect(pairs.count == 3)
        let exact = pairs.first { ($0["b"] as? String)?.hasSuffix("coffee, copy.jpg") == true }
        #expect(exact?["match"] as? String == "exact" && exact?["score"] as? Double == 1)
        #expect(pairs.allSatisfy { ($0["a"] as? String)?.hasPrefix(root.path) == true }, "paths as found under the arguments")

        let csv = try await CLI.run(["dedupe", root.path, "--format", "csv"])
        #expect(csv.output.hasPrefix("a,b,score,match\n") && csv.output.contains("\"\(root.path)/sub/coffee, copy.jpg\""))
        let page = root.appendingPathComponent("report.html")
        _ = try await CLI.run(["dedupe", root.path, "--format", "html", "--output", page.path])
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.components(separatedBy: "<figure>").count - 1 == 6 && html.contains("data:image/jpeg;base64,"))
        #expect(try await CLI.run(["dedupe", root.path, "--format", "pdf"]).status == 2)
    }

    /// The index backends a CLI test can reach: SQLite always, PostgreSQL when `make test` started one.
    static var indexes: [String] {
        ["sqlite"] + (ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"] == nil ? [] : ["postgres"])
    }

    @Test("index add then search: copies are found, other photos are not", arguments: indexes)
    func indexAndSearch(_ backend: String) async throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let index = backend == "sqlite" ? "sqlite:" + root.appendingPathComponent("index.db").path
            : ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]!
        let added = try await CLI.run(["index", "add", "--index", index, root.appendingPathComponent("rocket.jpg").path,
                                       root.appendingPathComponent("grace_hopper.jpg").path])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.output.split(separator: "\n").count == 2 && added.output.contains("\"image_id\""))
        let found = try await CLI.run(["search", "--index", index, root.appendingPathComponent("sub/rocket-small.webp").path])
        let matches = (try JSONSerialization.jsonObject(with: found.stdout) as? [String: Any])?["matches"] as? [[String: Any]]
        #expect(matches?.count == 1 && (matches?.first?["key"] as? String)?.hasSuffix("rocket.jpg") == true, "\(found.output)")
        #expect(matches?.first?["match"] as? String == "near")
        let none = try await CLI.run(["search", "--index", index, root.appendingPathComponent("coffee.jpg").path])
        #expect(none.status == 0 && none.output.contains("\"matches\" : [\n\n  ]") || none.output.contains("\"matches\" : []"),
                "\(none.output)")
        let bad = try await CLI.run(["search", "--index", "mysql://x", root.appendingPathComponent("coffee.jpg").path])
        #expect(bad.status == 2 && bad.stderr.contains("setting 'index'"))
    }
}
