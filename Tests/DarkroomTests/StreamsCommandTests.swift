import Foundation
import Testing
import TestSupport

/// `darkroom streams` with real worker processes on a SQLite queue and a real `ffmpeg -re`
/// sender: a stream is placed on a worker, moves to another when that one is killed -9, and
/// stops when removed.
@Suite("darkroom streams: placement, fail-over after kill -9, removal", .serialized,
       .enabled(if: StreamSender.available, "needs the ffmpeg tool (scripts/bootstrap)"))
struct StreamsCommandTests {
    static let pipeline = """
        name: cam
        motion: {every: 100ms, width: 160}
        """

    /// The streams as `streams list --json` prints them.
    static func streams(_ site: WorkerCommandTests.Site, all: Bool = false) async throws -> [[String: Any]] {
        let listed = try await CLI.run(["streams", "list", "--json", "--queue", site.queue] + (all ? ["--all"] : []))
        return try #require(try JSONSerialization.jsonObject(with: listed.stdout) as? [[String: Any]], "\(listed.stderr)")
    }

    /// The live workers: id → pid.
    static func workers(_ site: WorkerCommandTests.Site) async throws -> [String: Int32] {
        let listed = try await CLI.run(["workers", "--queue", site.queue])
        var pids: [String: Int32] = [:]
        for line in String(decoding: listed.stdout, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count > 3, fields[1] == "alive", let pid = Int32(fields[3]) { pids[fields[0]] = pid }
        }
        return pids
    }

    @Test("a stream runs on one of two workers; killed -9, that worker's stream is read by the other within 10 s; removed, it stops")
    func failover() async throws {
        let site = try WorkerCommandTests.Site(pipeline: Self.pipeline)
        let sender = StreamSender(.udp(port: LocalPort.free(udp: true)))
        try sender.start()
        defer { sender.stop() }
        let flags = ["--stream-sources", "udp", "--heartbeat", "1", "--lease", "4", "--concurrency", "1"]
        let first = try site.worker(flags, name: "first")
        let second = try site.worker(flags, name: "second")
        defer {
            for process in [first, second] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try await WorkerCommandTests.poll(30, explain: { site.logs() }) { try await Self.workers(site).count == 2 }

        let added = try await CLI.run(["streams", "add", sender.url, "--pipeline", "cam", "--pipelines", site.pipelines,
                                       "--name", "gate", "--queue", site.queue])
        #expect(added.status == 0, "\(added.stderr)")
        let id = String(decoding: added.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)

        var holder = ""
        try await WorkerCommandTests.poll(30, explain: { site.logs() }) {
            guard let stream = try await Self.streams(site).first, let report = stream["report"] as? [String: Any] else { return false }
            holder = stream["worker"] as? String ?? ""
            return stream["status"] as? String == "running" && report["state"] as? String == "running"
                && (report["frames"] as? Int ?? 0) > 5
        }
        let stream = try #require(try await Self.streams(site).first)
        #expect(stream["id"] as? String == id && stream["name"] as? String == "gate" && stream["pipeline"] as? String == "cam")
        let pids = try await Self.workers(site)
        let victim = try #require(pids[holder], "the holder \(holder) is a live worker: \(pids)")

        kill(victim, SIGKILL)
        let killed = ContinuousClock.now
        var successor = ""
        try await WorkerCommandTests.poll(30, explain: { site.logs() }) {
            guard let stream = try await Self.streams(site).first, let report = stream["report"] as? [String: Any],
                  let worker = stream["worker"] as? String, worker != holder else { return false }
            successor = worker
            return report["state"] as? String == "running" && (report["frames"] as? Int ?? 0) > 0
        }
        let took = ContinuousClock.now - killed
        #expect(took < .seconds(10), "the stream was read again \(took) after its worker was killed")
        #expect(successor != holder && pids[successor] != nil)

        let removed = try await CLI.run(["streams", "remove", id, "--queue", site.queue])
        #expect(removed.status == 0 && String(decoding: removed.stdout, as: UTF8.self).contains("\tcancelled"), "\(removed.stderr)")
        #expect(try await Self.streams(site).isEmpty)
        #expect(try await Self.streams(site, all: true).first?["status"] as? String == "cancelled")
        // The surviving worker lets go of it: its slot is free again.
        try await WorkerCommandTests.poll(15, explain: { site.logs() }) {
            let listed = try await CLI.run(["workers", "--queue", site.queue])
            return String(decoding: listed.stdout, as: UTF8.self).split(separator: "\n")
                .contains { $0.hasPrefix(successor) && $0.contains("\t0/1") }
        }
        let survivor = first.processIdentifier == pids[successor] ? first : second
        kill(survivor.processIdentifier, SIGTERM)
        #expect(try await WorkerCommandTests.waitForExit(survivor) == 0)
    }

    @Test("a stream that keeps failing holds one slot: the worker's other slot runs a pipeline job meanwhile")
    func failingStream() async throws {
        let site = try WorkerCommandTests.Site(pipeline: "name: cam\nmotion: {every: 100ms, width: 160}\nfeatures: [dimensions]\n")
        let worker = try site.worker(["--stream-sources", "udp", "--stream-timeout", "1", "--concurrency", "2"])
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        // Nothing sends to this port: the stream fails to open, again and again.
        let silent = "udp://127.0.0.1:\(LocalPort.free(udp: true))"
        let added = try await CLI.run(["streams", "add", silent, "--pipeline", "cam", "--pipelines", site.pipelines, "--queue", site.queue])
        #expect(added.status == 0, "\(added.stderr)")
        try await WorkerCommandTests.poll(30, explain: { site.logs() }) {
            let report = try await Self.streams(site).first?["report"] as? [String: Any]
            return report?["state"] as? String == "reconnecting" && (report?["reconnects"] as? Int ?? 0) >= 1
        }
        let image = site.root.appendingPathComponent("rocket.jpg")
        try Fixtures.data("natural/rocket.jpg").write(to: image)
        let submitted = try await CLI.run(["submit", "--pipeline", "cam", "--pipelines", site.pipelines, "--wait", "--timeout", "60"]
                                          + site.common + [image.path])
        #expect(submitted.status == 0, "\(submitted.stderr)\n\(site.logs())")
        #expect(try await Self.streams(site).first?["status"] as? String == "running")
        kill(worker.processIdentifier, SIGTERM)
        #expect(try await WorkerCommandTests.waitForExit(worker) == 0)
    }

    @Test("streams add refuses a URL that is not a stream's, and a pipeline without a motion: step, with exit 2")
    func badInput() async throws {
        let site = try WorkerCommandTests.Site(pipeline: "name: still\nfeatures: [dimensions]\n")
        let scheme = try await CLI.run(["streams", "add", "ftp://camera.example/x", "--pipeline", "still", "--pipelines", site.pipelines,
                                        "--queue", site.queue])
        #expect(scheme.status == 2 && scheme.stderr.contains("a stream's scheme is one of"))
        let still = try await CLI.run(["streams", "add", "udp://127.0.0.1:9", "--pipeline", "still", "--pipelines", site.pipelines,
                                       "--queue", site.queue])
        #expect(still.status == 2 && still.stderr.contains("no motion: step"), "\(still.stderr)")
        let missing = try await CLI.run(["streams", "remove", "nope", "--queue", site.queue])
        #expect(missing.status == 2)
    }
}
