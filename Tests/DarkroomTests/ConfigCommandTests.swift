import Foundation
import Testing

@Suite("darkroom config: one table of settings for flags, environment and file")
struct ConfigCommandTests {
    private static func resolved(_ arguments: [String], environment: [String: String] = [:]) async throws -> [String: Any] {
        let result = try await CLI.run(["config"] + arguments, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
    }

    @Test("flags win over DARKROOM_* variables, which win over the file; a list from a later source replaces the earlier one")
    func precedence() async throws {
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("darkroom.json")
        try Data(#"{"port": 7000, "bind": "0.0.0.0", "formats": ["avif", "webp"], "presets": {"thumb": "rs:fit:10:10"}, "timeout": 5}"#.utf8)
            .write(to: file)
        let settings = try await Self.resolved(
            ["--config", file.path, "--port", "9000", "--allowed-sources", "http://a/", "--allowed-sources", "http://b/"],
            environment: ["DARKROOM_PORT": "8000", "DARKROOM_FORMATS": "webp", "DARKROOM_TIMEOUT": "7"])
        #expect(settings["port"] as? String == "9000")
        #expect(settings["bind"] as? String == "0.0.0.0")
        #expect(settings["timeout"] as? String == "7")
        #expect(settings["formats"] as? String == "webp", "the environment's list replaces the file's")
        #expect(settings["allowed-sources"] as? String == "http://a/,http://b/", "repeated flags add up")
        #expect(settings["preset"] as? String == "thumb=rs:fit:10:10")
        // A list set once replaces its default rather than adding to it.
        #expect(try await Self.resolved(["--formats", "jpeg"])["formats"] as? String == "jpeg")
    }

    @Test("automatic quality's defaults are set per lossy format")
    func autoQualitySettings() async throws {
        let settings = try await Self.resolved(["--aq-good", "jpeg=82,webp=70", "--aq-range", "avif=30-80"])
        #expect(settings["aq-good"] as? String == "jpeg=82.0,webp=70.0")
        #expect(settings["aq-range"] as? String == "avif=30...80")
        #expect(settings["degrade-avif-at-queue"] as? String == "1")
    }

    @Test("keys, salts and the API token print only as set")
    func secrets() async throws {
        let settings = try await Self.resolved(["--key", "abcd", "--salt", "ef01", "--api-token", "hunter2"])
        #expect(settings["key"] as? String == "(set)" && settings["salt"] as? String == "(set)")
        #expect(settings["api-token"] as? String == "(set)")
        #expect(settings["watermark"] is NSNull)
    }

    @Test("every setting is a serve flag with the table's help, and worker flags are settings too")
    func everySettingIsAFlag() async throws {
        let names = try await Self.resolved([]).keys
        let serveHelp = try await CLI.run(["serve", "--help"]).output
        for name in names {
            #expect(serveHelp.contains("--\(name)"), "serve has no --\(name)")
        }
        #expect(serveHelp.contains("pixel threads (default one per core)"))
        let workerHelp = try await CLI.run(["worker", "--help"]).output
        for flag in ["--concurrency", "--lease", "--heartbeat", "--max-src-bytes", "--source-timeout", "--labels"] {
            #expect(workerHelp.contains(flag), "worker has no \(flag)")
        }
    }

    @Test("a bad value or an unknown setting is a usage error that names it, from any source", arguments: [
        (["--timeout", "0"], [String: String](), "setting 'timeout': expected seconds from 0.001 to 86400"),
        // Values past what a duration holds were a crash at start-up, not an error.
        (["--source-timeout", "1e300"], [:], "setting 'source-timeout': expected seconds from 0.001 to 86400"),
        ([], ["DARKROOM_LEASE": "1e300"], "setting 'lease': expected seconds from 1 to 86400"),
        ([], ["DARKROOM_JOB_TIMEOUT": "1e12"], "setting 'job-timeout'"),
        ([], ["DARKROOM_JOBS": "100000000"], "setting 'jobs': expected a whole number in 1...1024"),
        ([], ["DARKROOM_MAX_FRAMES": "many"], "setting 'max-frames': expected a whole number"),
        ([], ["DARKROOM_LOG_LEVEL": "loud"], "setting 'log-level'"),
        (["--public-url", "ftp://x"], [:], "setting 'public-url': expected an http(s) URL"),
        (["--aq-good", "png=80"], [:], "setting 'aq-good': expected format=score"),
        ([], ["DARKROOM_AQ_GOOD": "jpeg=101"], "setting 'aq-good': expected format=score"),
        (["--aq-range", "jpeg=90-40"], [:], "setting 'aq-range': expected format=min-max"),
        ([], ["DARKROOM_DEGRADE_AVIF_AT_QUEUE": "-1"], "setting 'degrade-avif-at-queue'"),
    ])
    func badValues(arguments: [String], environment: [String: String], message: String) async throws {
        let result = try await CLI.run(["config"] + arguments, environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("a command's seconds past what a duration holds are a usage error, not a crash", arguments: [
        ["health", "--timeout", "1e300"], ["health", "--timeout=-1"],
        ["submit", "--pipeline", "p.yaml", "--wait", "--timeout", "1e300", "a.jpg"],
    ])
    func commandSeconds(arguments: [String]) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--timeout: expected seconds above 0, at most"), "\(result.stderr)")
    }

    @Test("a config file with a setting no one knows is refused by name")
    func unknownInFile() async throws {
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("darkroom.json")
        try Data(#"{"prot": 8080}"#.utf8).write(to: file)
        let result = try await CLI.run(["worker", "--config", file.path, "--pipelines", root.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("setting 'prot': expected a known setting"), "\(result.stderr)")
    }

    @Test("jobs, workers, submit and objects read --queue and --storage through the same table as serve", arguments: [
        (["jobs", "list"], ["DARKROOM_QUEUE": "mysql://x"], "setting 'queue'"),
        (["workers", "--queue", "mysql://x"], [String: String](), "setting 'queue'"),
        (["submit", "--pipeline", "p.yaml", "--storage", "ftp://x", "a.jpg"], [:], "setting 'storage'"),
        (["objects", "ls"], ["DARKROOM_STORAGE": "ftp://x"], "setting 'storage'"),
    ])
    func sharedOptions(arguments: [String], environment: [String: String], message: String) async throws {
        let result = try await CLI.run(arguments, environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
