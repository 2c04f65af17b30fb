import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

@Suite("darkroom serve: uploads and jobs across a restart")
struct ServeJobsTests {
    static var queues: [String] {
        var queues = ["sqlite"]
        if ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"] != nil { queues.append("postgres") }
        return queues
    }

    static func post(_ url: String, body: Data) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    static func job(_ port: Int, _ id: String) async throws -> [String: Any] {
        let (_, data) = try await ServeCommandTests.get("http://127.0.0.1:\(port)/v1/jobs/\(id)")
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test("an upload queued while no worker runs survives a restart of the server and then completes", arguments: queues)
    func survivesRestart(_ kind: String) async throws {
        let root = try CLI.scratch()
        let pipelines = root.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try "name: web\nfeatures: [dimensions]\noutputs: [{name: t, recipe: 'rs:fit:50:50/f:webp'}]\n"
            .write(to: pipelines.appendingPathComponent("web.yaml"), atomically: true, encoding: .utf8)
        var queue = "sqlite:\(root.path)/queue.db"
        if kind == "postgres" {
            queue = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]!
        }
        let common = ["--storage", "file:\(root.path)/data", "--queue", queue, "--pipelines", pipelines.path, "--on-upload", "web"]

        let port = LocalPort.free()
        let first = try await ServeCommandTests.start(common + ["--port", String(port), "--no-worker"], port: port)
        defer { if first.isRunning { first.terminate() } }
        let (status, upload) = try await Self.post("http://127.0.0.1:\(port)/v1/images", body: try Fixtures.data("natural/rocket.jpg"))
        #expect(status == 202)
        let id = try #require((upload["jobs"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try await Self.job(port, id)["status"] as? String == "queued")
        kill(first.processIdentifier, SIGTERM)
        #expect(try await ServeCommandTests.exitStatus(of: first) == 0)

        // A port of its own: `port + 1` may be another test's (a server that cannot bind never
        // answers, and the test waited out its 40 s for nothing).
        let secondPort = LocalPort.free()
        let second = try await ServeCommandTests.start(common + ["--port", String(secondPort)], port: secondPort)
        defer { if second.isRunning { second.terminate() } }
        var job: [String: Any] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            job = try await Self.job(secondPort, id)
            if job["status"] as? String == "completed" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(job["status"] as? String == "completed" && job["attempts"] as? Int == 1, "\(job)")
        let key = try #require(((job["result"] as? [String: Any])?["outputs"] as? [[String: Any]])?.first?["key"] as? String)
        #expect(FileManager.default.fileExists(atPath: "\(root.path)/data/\(key)"))
        // The server schedules: its embedded worker leads, and ran the job assigned to it.
        let (_, listing) = try await ServeCommandTests.get("http://127.0.0.1:\(secondPort)/v1/workers")
        let workers = (try JSONSerialization.jsonObject(with: listing) as? [String: Any]) ?? [:]
        let leader = (workers["scheduler"] as? [String: Any])?["leader"] as? String
        #expect(leader != nil, "\(workers)")
        if kind == "sqlite" {
            let ids = (workers["workers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(ids == [leader] && job["claimed_by"] as? String == leader, "\(workers) \(job)")
        }
        kill(second.processIdentifier, SIGTERM)
        #expect(try await ServeCommandTests.exitStatus(of: second) == 0)
    }
}
