import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// The console in a real browser: Debian's Chromium, driven by Selenium (Tests/Browser/console_check.py),
/// against a `darkroom serve` with a SQLite queue holding real jobs. Screenshots of every page go
/// to .build/artefacts/console/.
@Suite("Console in Chromium")
struct ConsoleBrowserTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Why the browser tests cannot run here; nil when they can.
    static var missing: String? {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: "/usr/bin/chromium"), fm.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            return "Chromium or chromium-driver is not installed (scripts/bootstrap installs them)"
        }
        guard let python = ProcessInfo.processInfo.environment["DARKROOM_TEST_PYTHON"], fm.isExecutableFile(atPath: python) else {
            return "no DARKROOM_TEST_PYTHON with Selenium (make test runs the tests through scripts/test-servers, which installs it)"
        }
        return nil
    }

    static func post(_ url: String, _ body: Data, type: String = "application/octet-stream") async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(type, forHTTPHeaderField: "Content-Type")
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func status(_ port: Int, _ id: String) async throws -> String? {
        let (_, data) = try await ServeCommandTests.get("http://127.0.0.1:\(port)/v1/jobs/\(id)")
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["status"] as? String
    }

    @Test("every page renders its data without console errors, hostile text stays inert, and Retry requeues a dead job",
          .enabled(if: missing == nil, Comment(rawValue: missing ?? "")))
    func pages() async throws {
        let root = try CLI.scratch()
        let data = root.appendingPathComponent("data"), pipelines = root.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("demo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        for fixture in ["natural/rocket.jpg", "formats/hopper.png"] {
            try FileManager.default.copyItem(at: Fixtures.url(fixture),
                                             to: data.appendingPathComponent("demo").appendingPathComponent((fixture as NSString).lastPathComponent))
        }
        try "name: web\nfeatures: [dimensions, sharpness]\nchecks: [{min_width: 10}]\noutputs: [{name: thumb, recipe: 'rs:fit:160:160/f:webp'}]\n"
            .write(to: pipelines.appendingPathComponent("web.yaml"), atomically: true, encoding: .utf8)
        try "name: fragile\nmax_attempts: 1\noutputs: [{name: t, recipe: 'rs:fit:50:50'}]\n"
            .write(to: pipelines.appendingPathComponent("fragile.yaml"), atomically: true, encoding: .utf8)
        let common = ["--storage", "file:\(data.path)", "--local-root", data.path, "--queue", "sqlite:\(root.path)/queue.db",
                      "--pipelines", pipelines.path, "--on-upload", "web"]

        // Real jobs first, with a worker: two uploads that complete, and one that dies on a
        // source that is not there, named with markup.
        let hostile = "<img src=x onerror=window.__darkroomInjected=1>"
        let port = LocalPort.free()
        let working = try await ServeCommandTests.start(common + ["--port", String(port)], port: port)
        defer { if working.isRunning { working.terminate() } }
        var uploads: [String] = []
        for fixture in ["natural/rocket.jpg", "formats/hopper.png"] {
            let answer = try await Self.post("http://127.0.0.1:\(port)/v1/images", try Fixtures.data(fixture))
            uploads.append(try #require((answer["jobs"] as? [[String: Any]])?.first?["id"] as? String, "\(answer)"))
        }
        let submitted = try await Self.post("http://127.0.0.1:\(port)/v1/jobs", try JSONSerialization.data(withJSONObject: [
            "pipeline": "fragile", "sources": ["local:///missing/\(hostile).jpg"]]), type: "application/json")
        let dead = try #require((submitted["job_ids"] as? [String])?.first, "\(submitted)")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let done = try await uploads.asyncAllSatisfy { try await Self.status(port, $0) == "completed" }
            if done, try await Self.status(port, dead) == "dead" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await Self.status(port, dead) == "dead")
        kill(working.processIdentifier, SIGTERM)
        _ = try await ServeCommandTests.exitStatus(of: working)

        // Then the browser, against a server without a worker, so a retried job stays queued.
        let browsing = LocalPort.free()
        let server = try await ServeCommandTests.start(common + ["--port", String(browsing), "--no-worker"], port: browsing)
        defer { if server.isRunning { server.terminate() } }
        let artefacts = Self.repository.appendingPathComponent(".build/artefacts/console")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let result = try await CLI.run(
            [Self.repository.appendingPathComponent("Tests/Browser/console_check.py").path, "http://127.0.0.1:\(browsing)",
             artefacts.path, dead, hostile],
            executable: URL(fileURLWithPath: ProcessInfo.processInfo.environment["DARKROOM_TEST_PYTHON"]!), timeout: .seconds(180))
        #expect(result.status == 0, "\(result.output)\n\(result.stderr.suffix(3000))")
    }
}

extension Sequence {
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
