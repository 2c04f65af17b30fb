import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("darkroom serve")
struct ServeCommandTests {
    /// Starts `darkroom serve` on a free port and waits until /health answers.
    static func start(_ arguments: [String], environment: [String: String] = [:], port: Int) async throws -> Process {
        let process = Process()
        process.executableURL = CLI.executable
        // A queue of its own: parallel servers must not share ./data/queue.db.
        process.arguments = ["serve"] + arguments + (arguments.contains("--queue") ? [] : ["--queue", "memory:"])
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        // Its log goes to a file, so a server that never answers can say why.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardError = handle
        try process.run()
        // Generous: a debug build starting beside the whole suite on two cores has been seen
        // to need over 40 s under the heaviest tests.
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline, process.isRunning {
            // Each probe gives up after 2 s: one hung connection must not eat the whole deadline.
            var probe = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/health")!)
            probe.timeoutInterval = 2
            if let (_, response) = try? await URLSession.shared.data(for: probe), (response as? HTTPURLResponse)?.statusCode == 200 {
                try? FileManager.default.removeItem(at: log)  // the server keeps writing to it, unlinked
                return process
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        var report = ""
        // What the database was doing, when there is one (a lock wait shows here).
        if let url = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"], arguments.contains(url),
           let activity = try? await CLI.run([url, "-At", "-c", """
               SELECT pid, state, wait_event_type, wait_event, now() - xact_start, left(query, 160) FROM pg_stat_activity
               WHERE datname IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start
               """], executable: URL(fileURLWithPath: "/usr/bin/psql"), timeout: .seconds(20)) {
            report += "\npg_stat_activity:\n" + activity.output + activity.stderr
        }
        process.terminate()
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        throw ServeStartFailure(description: "serve on port \(port) did not answer /health: \(said.suffix(2000))\(report)")
    }

    struct ServeStartFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    static func exitStatus(of process: Process) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    @Test("serves a transformed image, then stops cleanly on SIGTERM with exit 0")
    func serveAndStop() async throws {
        let root = try CLI.scratch()
        try FileManager.default.copyItem(at: Fixtures.url("natural/rocket.jpg"), to: root.appendingPathComponent("rocket.jpg"))
        let port = LocalPort.free()
        let server = try await Self.start(["--port", String(port), "--local-root", root.path], port: port)
        defer { if server.isRunning { server.terminate() } }
        let (status, body) = try await Self.get("http://127.0.0.1:\(port)/unsafe/rs:fit:120:120/plain/local:///rocket.jpg")
        #expect(status == 200)
        #expect(try VipsImage.probe(body).width == 120)
        kill(server.processIdentifier, SIGTERM)
        #expect(try await Self.exitStatus(of: server) == 0)
    }

    @Test("flags win over DARKROOM_* variables, which win over the config file")
    func precedence() async throws {
        let root = try CLI.scratch()
        let config = root.appendingPathComponent("darkroom.json")
        let filePort = LocalPort.free(), envPort = filePort + 1, flagPort = filePort + 2
        try Data(#"{"port": \#(filePort), "local-root": "\#(root.path)", "presets": {"thumb": "rs:fit:10:10"}}"#.utf8)
            .write(to: config)
        let server = try await Self.start(["--config", config.path, "--port", String(flagPort)],
                                          environment: ["DARKROOM_PORT": String(envPort)], port: flagPort)
        defer { if server.isRunning { server.terminate() } }
        #expect(try await Self.get("http://127.0.0.1:\(flagPort)/health").status == 200)
        kill(server.processIdentifier, SIGINT)
        #expect(try await Self.exitStatus(of: server) == 0)
    }

    @Test("a bad setting is a usage error that names it", arguments: [
        (["--port", "70000"], "setting 'port'"),
        (["--key", "abcd"], "setting 'salt'"),
        (["--formats", "bmp"], "setting 'formats'"),
        (["--config", "/nonexistent.json"], "setting 'config'"),
        (["--storage", "ftp://x"], "setting 'storage'"),
        (["--result-store", "nowhere"], "setting 'result-store'"),
        (["--queue-weights", "uploads=x"], "setting 'queue-weights'"),
        (["--strategy", "uploads=fastest"], "setting 'strategy': expected NAME or queue=NAME pairs"),
        (["--heartbeat", "0"], "setting 'heartbeat'"),
        (["--queue", "mysql://x"], "setting 'queue'"),
        (["--on-upload", "web"], "setting 'on-upload'"),
    ])
    func badSettings(arguments: [String], message: String) async throws {
        let result = try await CLI.run(["serve"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("s3:// sources come from the --storage endpoint, and results land in --result-store",
          .enabled(if: ProcessInfo.processInfo.environment["DARKROOM_TEST_S3_ENDPOINT"] != nil))
    func s3Storage() async throws {
        let env = ProcessInfo.processInfo.environment
        let credentials = ["AWS_ACCESS_KEY_ID": env["DARKROOM_TEST_S3_ACCESS_KEY"]!, "AWS_SECRET_ACCESS_KEY": env["DARKROOM_TEST_S3_SECRET_KEY"]!]
        let storage = "s3://darkroom-serve?endpoint=\(env["DARKROOM_TEST_S3_ENDPOINT"]!)&path_style=true"
        let results = "s3://darkroom-serve/results-\(UUID().uuidString)?endpoint=\(env["DARKROOM_TEST_S3_ENDPOINT"]!)&path_style=true"
        #expect(try await CLI.run(["objects", "mb", "--storage", storage], environment: credentials).status == 0)
        #expect(try await CLI.run(["objects", "put", "--storage", storage, "in/rocket.jpg", Fixtures.url("natural/rocket.jpg").path],
                                  environment: credentials).status == 0)
        let port = LocalPort.free()
        let server = try await Self.start(["--port", String(port), "--storage", storage, "--result-store", results,
                                           "--local-root", try CLI.scratch().path], environment: credentials, port: port)
        defer { if server.isRunning { server.terminate() } }
        let (status, body) = try await Self.get("http://127.0.0.1:\(port)/unsafe/rs:fit:90:90/plain/s3://darkroom-serve/in/rocket.jpg")
        #expect(status == 200)
        #expect(try VipsImage.probe(body).width == 90)
        #expect(try await Self.get("http://127.0.0.1:\(port)/unsafe/rs:fit:90:90/plain/s3://darkroom-serve/in/none.jpg").status == 404)
        let listed = try await CLI.run(["objects", "ls", "--storage", results], environment: credentials)
        #expect(listed.output.hasPrefix("results/"), "the render was saved to the result store: \(listed.output) \(listed.stderr)")
        kill(server.processIdentifier, SIGTERM)
        #expect(try await Self.exitStatus(of: server) == 0)
    }
}
