import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import JobQueuePostgres
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport
import NIOFoundationEssentialsCompat

@Suite("darkroom worker, submit and jobs")
struct WorkerCommandTests {
    /// A scratch deployment: a store folder, a SQLite queue (unless given) and one pipeline.
    struct Site {
        let root: URL
        let queue: String
        var storage: String { "file:\(root.path)/data" }
        var pipelines: String { root.appendingPathComponent("pipelines").path }

        init(queue: String? = nil, pipeline: String) throws {
            root = try CLI.scratch()
            self.queue = queue ?? "sqlite:\(root.path)/queue.db"
            try FileManager.default.createDirectory(atPath: pipelines, withIntermediateDirectories: true)
            try pipeline.write(toFile: pipelines + "/p.yaml", atomically: true, encoding: .utf8)
        }

        var common: [String] { ["--queue", queue, "--storage", storage] }

        /// Starts a worker in the background, its output in a log file.
        func worker(_ extra: [String] = [], name: String = "worker", environment: [String: String] = [:]) throws -> Process {
            let log = root.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["worker"] + common + ["--pipelines", pipelines] + extra
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return process
        }

        /// Every worker's log, for a failure message.
        func logs() -> String {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
            return files.filter { $0.hasSuffix(".log") }.sorted().map { name in
                let text = (try? String(contentsOfFile: root.path + "/" + name, encoding: .utf8)) ?? ""
                return "== \(name)\n" + String(text.suffix(4000))
            }.joined(separator: "\n")
        }

        func jobs(_ arguments: [String]) async throws -> CLI.Result {
            try await CLI.run(["jobs"] + arguments + ["--queue", queue])
        }
    }

    static func waitForExit(_ process: Process, seconds: Double = 30) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    static func poll(_ seconds: Double = 60, explain: () -> String = { "" }, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting\n\(explain())")
        throw PollTimeout()
    }

    struct PollTimeout: Error {}

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("submit --wait runs a batch through a worker; jobs list and show report it; SIGTERM exits 0")
    func submitAndWait() async throws {
        let site = try Site(pipeline: """
            name: p
            features: [dimensions, phash]
            outputs: [{name: thumb, recipe: "rs:fit:64:64/f:webp", key: "out/{source_name}/{name}.{ext}"}]
            """)
        let images = site.root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for name in ["rocket.jpg", "grace_hopper.jpg"] {
            try FileManager.default.copyItem(at: Fixtures.url("natural/\(name)"), to: images.appendingPathComponent(name))
        }
        let metricsPort = LocalPort.free()
        let worker = try site.worker(["--concurrency", "2", "--metrics-port", String(metricsPort), "--simulate-gpus", "2:16000"])
        defer { if worker.isRunning { worker.terminate() } }
        let submit = try await CLI.run(["submit", "--pipeline", site.pipelines + "/p.yaml", "--wait", "--timeout", "120"] + site.common + [images.path])
        #expect(submit.status == 0, "\(submit.stderr)\n\(site.logs())")
        let output = String(decoding: submit.stdout, as: UTF8.self)
        #expect(output.contains("2 completed, 0 dead"), "\(output)")

        let list = try await site.jobs(["list", "--status", "completed"])
        let lines = String(decoding: list.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("\tcompleted\t1/5\tp\toriginals/") })
        let id = String(try #require(lines.first).split(separator: "\t")[0])
        let shown = try Self.json(try await site.jobs(["show", id]).stdout)
        let result = try #require(shown["result"] as? [String: Any])
        let outputs = try #require(result["outputs"] as? [[String: Any]])
        #expect(outputs.count == 1 && (outputs[0]["width"] as? Int ?? 0) <= 64)
        #expect(FileManager.default.fileExists(atPath: site.root.path + "/data/" + (outputs[0]["key"] as! String)))

        #expect(try await site.jobs(["show", "no-such-job"]).status != 0)
        // The worker's own /metrics: outcomes, durations and the queue gauges.
        var metrics = ""
        try await Self.poll(30, explain: { site.logs() }) {
            metrics = String(decoding: (try? await ServeCommandTests.get("http://127.0.0.1:\(metricsPort)/metrics"))?.body ?? Data(),
                             as: UTF8.self)
            return metrics.contains("darkroom_queue_depth")
        }
        #expect(metrics.contains(#"darkroom_jobs_total{queue="pipelines",outcome="completed"} 2"#), "\(metrics)")
        #expect(metrics.contains("darkroom_job_duration_seconds"))
        // It registered with its slots and GPUs, and is alive.
        let listed = try await CLI.run(["workers", "--queue", site.queue])
        let row = String(decoding: listed.stdout, as: UTF8.self)
        #expect(row.contains("\talive\t") && row.contains("\t\(worker.processIdentifier)\t")
                && row.contains("0:simulated:16000,1:simulated:16000"), "\(row)")
        kill(worker.processIdentifier, SIGTERM)
        #expect(try await Self.waitForExit(worker) == 0)
        // A clean stop deregisters.
        #expect(try await CLI.run(["workers", "--queue", site.queue]).stdout.isEmpty)
    }

    @Test("a pipeline whose model asks for gpu: 0.5 runs on the worker with (simulated) GPUs, never on the CPU-only one")
    func gpuModelPlacement() async throws {
        let site = try Site(pipeline: """
            name: p
            models: [red-gpu]
            outputs: [{name: thumb, recipe: "rs:fit:16:16/f:png", key: "out/{image_id}/{name}.{ext}"}]
            """)
        let models = site.root.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        for name in ["red_square.onnx", "red_square.labels"] {
            try FileManager.default.copyItem(at: Fixtures.url("models/\(name)"), to: models.appendingPathComponent(name))
        }
        try """
            name: red-gpu
            path: red_square.onnx
            input: {name: image, width: 32, height: 32}
            task: {classify: {labels: red_square.labels}}
            resources: {cpu: 1, gpu: 0.5}
            """.write(to: models.appendingPathComponent("red-gpu.yaml"), atomically: true, encoding: .utf8)
        let images = site.root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        // Six different files (six jobs), red and plain.
        for index in 0..<6 {
            var data = try Fixtures.data(index % 2 == 0 ? "models/square.png" : "models/plain.png")
            data.append(contentsOf: [UInt8(index)])
            try data.write(to: images.appendingPathComponent("image\(index).png"))
        }
        let (gpuPort, cpuPort) = (LocalPort.free(), LocalPort.free())
        let gpuWorker = try site.worker(["--models", models.path, "--metrics-port", String(gpuPort), "--simulate-gpus", "1:16000"],
                                        name: "gpu")
        let cpuWorker = try site.worker(["--models", models.path, "--metrics-port", String(cpuPort)], name: "cpu")
        defer { for worker in [gpuWorker, cpuWorker] where worker.isRunning { worker.terminate() } }
        let submit = try await CLI.run(["submit", "--pipeline", site.pipelines + "/p.yaml", "--models", models.path, "--wait",
                                        "--timeout", "120"] + site.common + [images.path])
        #expect(submit.status == 0 && submit.output.contains("6 completed, 0 dead"), "\(submit.stderr)\n\(site.logs())")
        func completed(_ port: Int) async -> String {
            String(decoding: (try? await ServeCommandTests.get("http://127.0.0.1:\(port)/metrics"))?.body ?? Data(), as: UTF8.self)
        }
        var gpuMetrics = ""
        try await Self.poll(30, explain: { site.logs() }) {
            gpuMetrics = await completed(gpuPort)
            return gpuMetrics.contains(#"darkroom_jobs_total{queue="pipelines",outcome="completed"} 6"#)
        }
        // The CPU-only worker answers too (polled: on a loaded machine one scrape can time out),
        // and it completed nothing.
        var cpuMetrics = ""
        try await Self.poll(30, explain: { site.logs() }) {
            cpuMetrics = await completed(cpuPort)
            return cpuMetrics.contains("darkroom_queue_depth")
        }
        #expect(!cpuMetrics.contains(#"outcome="completed"} "#), "\(cpuMetrics)")
        let list = try await site.jobs(["list", "--status", "completed"])
        let id = String(try #require(String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").first).split(separator: "\t")[0])
        let result = try #require(try Self.json(try await site.jobs(["show", id]).stdout)["result"] as? [String: Any])
        #expect((result["predictions"] as? [[String: Any]])?.first?["model"] as? String == "red-gpu")
    }

    /// Serves one image; the first request stalls until the client goes away (a worker killed mid-download).
    final class StallingSource: Sendable {
        let requests = Mutex(0)
        /// Set once the first worker is dead, so the stalled handler ends and the server can stop.
        let released = Mutex(false)
    }

    @Test("GPUs come from nvidia-smi at start, and each heartbeat reports their live use; labels are registered")
    func nvidiaSMI() async throws {
        let site = try Site(pipeline: "name: p\nfeatures: [dimensions]\n")
        // This machine has no NVIDIA driver: a script on the PATH answers the same query the same
        // way (CSV, no header, no units), with memory in use growing on every call.
        let bin = site.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("nvidia-smi")
        try """
            #!/bin/sh
            [ "$*" = "--query-gpu=index,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits" ] || exit 9
            n=$(cat "$0.calls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$0.calls"
            echo "0, NVIDIA H200, 143771, $((1000 + n)), 40"
            echo "1, NVIDIA H200, 143771, 0, 0"
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let worker = try site.worker(["--heartbeat", "0.5", "--labels", "zone=eu-1,node=gpu-a"], environment: ["PATH": path])
        defer { if worker.isRunning { worker.terminate() } }
        var gpus: [[String: Any]] = []
        var labels: [String: String] = [:]
        try await Self.poll(60, explain: { site.logs() + "\n\(gpus)" }) {
            let listed = try await CLI.run(["workers", "--json", "--queue", site.queue])
            let workers = (try? Self.json(listed.stdout))?["workers"] as? [[String: Any]] ?? []
            gpus = workers.first?["gpus"] as? [[String: Any]] ?? []
            labels = workers.first?["labels"] as? [String: String] ?? [:]
            return (gpus.first?["memory_used_mb"] as? Int ?? 0) > 1002
        }
        #expect(labels == ["zone": "eu-1", "node": "gpu-a"])
        #expect(gpus.count == 2 && gpus[0]["model"] as? String == "NVIDIA H200" && gpus[0]["memory_mb"] as? Int == 143_771)
        #expect(gpus[0]["utilisation"] as? Double == 0.4)
        kill(worker.processIdentifier, SIGTERM)
        #expect(try await Self.waitForExit(worker) == 0)
    }

    @Test("a worker killed -9 mid-job: a second worker finishes the job after the lease; one output, two attempts")
    func crashRecovery() async throws {
        let image = try Fixtures.data("natural/rocket.jpg")
        let source = StallingSource()
        let router = Router()
        router.get("slow.jpg") { _, _ -> Response in
            let first = source.requests.withLock { $0 += 1; return $0 == 1 }
            while first, !source.released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(data: image)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let site = try Site(pipeline: """
                name: p
                features: [dimensions]
                outputs: [{name: large, recipe: "rs:fit:300:300/f:jpeg", key: "out/{image_id}/{name}.{ext}"}]
                """)
            let url = "http://127.0.0.1:\(client.port!)/slow.jpg"
            let flags = ["--lease", "2", "--concurrency", "1", "--allowed-sources", "http://127.0.0.1", "--allow-internal-sources"]
            let submitted = try await CLI.run(["submit", "--pipeline", site.pipelines + "/p.yaml"] + site.common + [url])
            #expect(submitted.status == 0, "\(submitted.stderr)")

            let first = try site.worker(flags, name: "first")
            defer { if first.isRunning { first.terminate() } }
            try await Self.poll(30, explain: { site.logs() }) { source.requests.withLock { $0 } >= 1 }
            kill(first.processIdentifier, SIGKILL)
            _ = try await Self.waitForExit(first)
            source.released.withLock { $0 = true }
            #expect(String(decoding: try await site.jobs(["list", "--status", "running"]).stdout, as: UTF8.self).contains("\trunning\t1/5"))

            let second = try site.worker(flags, name: "second")
            defer { if second.isRunning { second.terminate() } }
            var id = ""
            try await Self.poll(60, explain: { site.logs() }) {
                let line = String(decoding: try await site.jobs(["list", "--status", "completed"]).stdout, as: UTF8.self)
                id = String(line.split(separator: "\t").first ?? "")
                return !id.isEmpty
            }
            let job = try Self.json(try await site.jobs(["show", id]).stdout)
            #expect(job["attempts"] as? Int == 2)
            #expect((job["error"] as? String)?.contains("lease expired after attempt 1") == true)
            let outputs = try FileManager.default.subpathsOfDirectory(atPath: site.root.path + "/data/out")
                .filter { $0.hasSuffix(".jpg") }
            #expect(outputs.count == 1 && outputs[0].hasSuffix("/large.jpg"))
            kill(second.processIdentifier, SIGTERM)
            #expect(try await Self.waitForExit(second) == 0)
        }
    }

    @Test("4 worker processes × 2,000 jobs on PostgreSQL: each completes exactly once, none is stuck",
          .enabled(if: ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"] != nil))
    func contention() async throws {
        let url = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]!
        // A fresh database per run keeps counts exact.
        let database = "contention_\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.postgres(url) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"))
        }
        let queueURL = url.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(database)", options: .regularExpression)
        let site = try Site(queue: queueURL, pipeline: "name: p\nfeatures: [dimensions]\n")
        try Data(SyntheticImages.png(try SyntheticImages.quadrants(width: 8, height: 8)))
            .write(to: site.root.appendingPathComponent("tiny.png"))
        let sources = Array(repeating: "local:///tiny.png", count: 2000)
        let submitted = try await CLI.run(["submit", "--pipeline", site.pipelines + "/p.yaml"] + site.common + sources)
        #expect(submitted.status == 0, "\(submitted.stderr)")

        let workers = try (0..<4).map { index in
            try site.worker(["--concurrency", "2", "--local-root", site.root.path], name: "w\(index)")
        }
        defer { for worker in workers where worker.isRunning { worker.terminate() } }
        var counts: [String: (jobs: Int, attempts: Int)] = [:]
        try await Self.poll(240, explain: { site.logs() }) {
            counts = try await Self.postgres(queueURL) { client in
                var counts: [String: (Int, Int)] = [:]
                for try await (status, jobs, attempts) in try await client.query(
                    "SELECT status, COUNT(*)::INT, SUM(attempts)::INT FROM darkroom_job WHERE queue = 'pipelines' GROUP BY status"
                ).decode((String, Int, Int).self) { counts[status] = (jobs, attempts) }
                return counts
            }
            return counts["queued"] == nil && counts["running"] == nil
        }
        #expect(counts["completed"]?.jobs == 2000 && counts["completed"]?.attempts == 2000, "\(counts)")
        #expect(counts.count == 1, "\(counts)")
        for worker in workers { kill(worker.processIdentifier, SIGTERM) }
        for worker in workers { #expect(try await Self.waitForExit(worker) == 0) }
    }

    static func postgres<T: Sendable>(_ url: String, _ body: @Sendable @escaping (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try PostgresJobQueue.configuration(url: url), backgroundLogger: Logger(label: "test"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
