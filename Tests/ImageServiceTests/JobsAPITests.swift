import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageProcessing
import ImageService
import JobQueue
import NIOCore
import ObjectStorage
import Pipelines
import Scheduling
import Testing
import TestSupport
import NIOFoundationEssentialsCompat
import ImageModel

@Suite("Jobs API")
struct JobsAPITests {
    struct Setup {
        let harness: ServiceHarness
        let queue: MemoryJobQueue
        let store: MemoryObjectStore
    }

    static func setup(token: String? = nil, maxBytes: Int? = nil) throws -> Setup {
        let queue = MemoryJobQueue()
        let store = MemoryObjectStore()
        let web = try Pipeline(spec: "name: web\nversion: '3'\noutputs: [{name: t, recipe: 'rs:fit:32:32'}]", file: "web.yaml")
        var settings = ImageServiceSettings()
        if let maxBytes { settings.limits.maxInputBytes = maxBytes }
        let harness = try ServiceHarness.make(settings: settings) { processor in
            V1API(queue: queue, catalog: PipelineCatalog([web]), store: store, processor: processor,
                  onUpload: ["web"], apiToken: token)
        }
        return Setup(harness: harness, queue: queue, store: store)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: Data, type: String = "application/json",
                     headers extra: HTTPFields = [:]) async throws -> (Int, [String: Any]) {
        var headers: HTTPFields = [.contentType: type]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(data: body)) {
            (Int($0.status.code), $0.json)
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (Int, [String: Any]) {
        try await client.execute(uri: uri, method: .get) { (Int($0.status.code), $0.json) }
    }

    @Test("an upload is stored under its content hash and queues the upload pipelines once")
    func upload() async throws {
        let setup = try Self.setup()
        let image = try Fixtures.data("natural/rocket.jpg")
        try await setup.harness.test { client in
            let (status, body) = try await Self.post(client, "/v1/images", image, type: "image/jpeg")
            #expect(status == 202, "\(body)")
            let id = try #require(body["image_id"] as? String)
            #expect(id == PipelineRunner.imageID(of: image))
            #expect(body["width"] as? Int == 640 && body["key"] as? String == "originals/\(id)")
            let jobs = try #require(body["jobs"] as? [[String: Any]])
            #expect(jobs.count == 1 && jobs[0]["pipeline"] as? String == "web")
            #expect(try await setup.store.get(try ObjectKey("originals/\(id)")).data == image)

            // The same bytes again, this time as multipart: same image, same job.
            let boundary = "XyZ"
            var form = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
            form += image + Data("\r\n--\(boundary)--\r\n".utf8)
            let (again, second) = try await Self.post(client, "/v1/images", form, type: "multipart/form-data; boundary=\(boundary)")
            #expect(again == 202 && second["image_id"] as? String == id)
            #expect((second["jobs"] as? [[String: Any]])?.first?["id"] as? String == jobs[0]["id"] as? String)

            let (shown, job) = try await Self.get(client, "/v1/jobs/\(jobs[0]["id"] as! String)")
            #expect(shown == 200 && job["status"] as? String == "queued")
            #expect((job["payload"] as? [String: Any])?["source"] as? String == "originals/\(id)")
            #expect((job["payload"] as? [String: Any])?["version"] as? String == "3")
        }
    }

    @Test("uploads are sniffed and limited before anything is stored", arguments: [
        ("not an image at all", 415), ("", 400),
    ])
    func badUploads(body: String, status: Int) async throws {
        let setup = try Self.setup()
        try await setup.harness.test { client in
            let (code, answer) = try await Self.post(client, "/v1/images", Data(body.utf8), type: "image/jpeg")
            #expect(code == status, "\(answer)")
            #expect(answer["detail"] is String)
        }
        #expect(try await setup.store.listAll(prefix: "").isEmpty)
    }

    @Test("an upload over max-src-bytes is 413; a pixel bomb is 413 from its header")
    func limits() async throws {
        let setup = try Self.setup(maxBytes: 10_000)
        try await setup.harness.test { client in
            let (big, _) = try await Self.post(client, "/v1/images", try Fixtures.data("natural/rocket.jpg"))
            #expect(big == 413)
            let bomb = try CorruptedInputs.pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000)
            let (bombed, answer) = try await Self.post(client, "/v1/images", bomb)
            #expect(bombed == 413 && (answer["detail"] as? String ?? "").contains("max-src-pixels"))
        }
        #expect(try await setup.store.listAll(prefix: "").isEmpty)
    }

    @Test("jobs: submit, show, cancel, batch progress, queues, dead letters and retry")
    func jobs() async throws {
        let setup = try Self.setup()
        try await setup.harness.test { client in
            let request = #"{"pipeline": "web", "sources": ["in/a.jpg", "local:///b.jpg"], "priority": 5}"#
            let (status, body) = try await Self.post(client, "/v1/jobs", Data(request.utf8))
            #expect(status == 202, "\(body)")
            let batch = try #require(body["batch_id"] as? String)
            let ids = try #require(body["job_ids"] as? [String])
            #expect(ids.count == 2)

            let (cancelled, job) = try await Self.post(client, "/v1/jobs/\(ids[1])/cancel", Data())
            #expect(cancelled == 200 && job["status"] as? String == "cancelled")
            // A worker takes the first and fails it for good.
            let lease = try #require(try await setup.queue.claim(from: PipelineJob.queue, leaseFor: .seconds(30)))
            #expect(lease.job.priority == 5)
            _ = try await setup.queue.fail(lease, error: "cannot decode", permanent: true)

            let (_, progress) = try await Self.get(client, "/v1/batches/\(batch)")
            #expect(progress["total"] as? Int == 2 && progress["done"] as? Bool == true)
            #expect((progress["counts"] as? [String: Int])?["dead"] == 1)
            #expect(progress.keys.contains("eta_seconds"), "eta_seconds is written, as null until it can be told")
            let (_, queues) = try await Self.get(client, "/v1/queues")
            let pipelines = (queues["queues"] as? [[String: Any]])?.first { $0["name"] as? String == "pipelines" }
            #expect(pipelines?["dead_letters"] as? Int == 1 && pipelines?["depth"] as? Int == 0)
            let (_, dead) = try await Self.get(client, "/v1/dead-letters")
            #expect((dead["jobs"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[0]])
            #expect(try await Self.get(client, "/v1/dead-letters?limit=1").0 == 200)
            // A limit out of range, a fraction or a word is refused by name, not read as the default.
            for limit in ["0", "1001", "2.5", "all"] {
                let (status, refusal) = try await Self.get(client, "/v1/dead-letters?limit=\(limit)")
                #expect(status == 400 && (refusal["detail"] as? String)?.hasPrefix("limit: expected a whole number in 1...1000") == true,
                        "\(limit): \(status) \(refusal)")
            }
            let (retried, revived) = try await Self.post(client, "/v1/dead-letters/\(ids[0])/retry", Data())
            #expect(retried == 200 && revived["status"] as? String == "queued" && revived["attempts"] as? Int == 0)
            let (_, scaling) = try await Self.get(client, "/v1/scaling")
            let wanted = (scaling["queues"] as? [[String: Any]])?.first { $0["queue"] as? String == "pipelines" }
            #expect(wanted?["desired_workers"] as? Int == 1 && wanted?["live_workers"] as? Int == 0, "\(scaling)")
            // No worker has reported a rate: the field says so with null instead of going missing.
            #expect(wanted?["throughput_per_worker"] is NSNull, "\(scaling)")
            #expect(try await Self.get(client, "/v1/jobs/nope").0 == 404)
            #expect(try await Self.get(client, "/v1/batches/nope").0 == 404)
        }
    }

    @Test("a job that no live worker could run is reported unschedulable and stays queued; /v1/workers names the scheduler")
    func unschedulable() async throws {
        // A clock that stands still: the scheduler's 3-s term must not run out while a loaded
        // machine serves the requests below (it did, under the full suite).
        let queue = MemoryJobQueue(clock: ManualJobClock())
        let spec = "name: embed\nresources: {cpu: 1, gpu: 0.5, gpu_memory_mb: 4000}\noutputs: [{name: t, recipe: 'rs:fit:32:32'}]"
        let embed = try Pipeline(spec: spec, file: "embed.yaml")
        let harness = try ServiceHarness.make { processor in
            V1API(queue: queue, catalog: PipelineCatalog([embed]), store: MemoryObjectStore(), processor: processor,
                  onUpload: [], apiToken: nil)
        }
        try await queue.register(WorkerRecord(id: "cpu-only", host: "h", pid: 1, version: "1", slots: 2))
        try await harness.test { client in
            let (status, body) = try await Self.post(client, "/v1/jobs", Data(#"{"pipeline": "embed", "sources": ["a.jpg"]}"#.utf8))
            #expect(status == 202, "\(body)")
            let id = try #require((body["job_ids"] as? [String])?.first)
            let (_, job) = try await Self.get(client, "/v1/jobs/\(id)")
            #expect((job["resources"] as? [String: Any])?["gpu"] as? Double == 0.5, "the pipeline's resources go with its jobs")
            func unschedulable() async throws -> Int? {
                let (_, queues) = try await Self.get(client, "/v1/queues")
                return (queues["queues"] as? [[String: Any]])?.first { $0["name"] as? String == "pipelines" }?["unschedulable"] as? Int
            }
            #expect(try await unschedulable() == 1)
            // One job may ask for something else than its pipeline.
            let (_, custom) = try await Self.post(client, "/v1/jobs", Data(#"{"pipeline": "embed", "sources": ["b.jpg"], "resources": {"cpu": 2}}"#.utf8))
            let customID = try #require((custom["job_ids"] as? [String])?.first)
            #expect(try await queue.job(id: customID)?.resources == ResourceRequest(cpu: 2))
            #expect(try await unschedulable() == 1, "2 CPUs fit the CPU-only worker")
            let (bad, refusal) = try await Self.post(client, "/v1/jobs", Data(#"{"pipeline": "embed", "sources": ["c.jpg"], "resources": {"gpu": 3}}"#.utf8))
            #expect(bad == 400 && (refusal["detail"] as? String)?.contains("resources.gpu") == true, "\(refusal)")
            try await queue.register(WorkerRecord(id: "gpu", host: "h", pid: 2, version: "1", slots: 2,
                                                  gpus: [.init(index: 0, model: "sim", memoryMB: 8000)]))
            #expect(try await unschedulable() == 0, "a worker with a big enough GPU makes it schedulable")
            #expect(try await queue.job(id: id)?.status == .queued)

            let (_, workers) = try await Self.get(client, "/v1/workers")
            #expect(workers["scheduler"] is NSNull, "no scheduler leads yet")
        }
        _ = try await queue.lead(as: "gpu") { _ in
            try await harness.test { client in
                let (_, workers) = try await Self.get(client, "/v1/workers")
                #expect((workers["scheduler"] as? [String: Any])?["leader"] as? String == "gpu")
                let listed = workers["workers"] as? [[String: Any]] ?? []
                #expect(listed.first { $0["id"] as? String == "gpu" }?["scheduler"] as? Bool == true)
                #expect(listed.first { $0["id"] as? String == "cpu-only" }?["scheduler"] as? Bool == false)
            }
        }
    }

    @Test("a bad job request names the field", arguments: [
        (#"{"pipeline": "nope", "sources": ["a"]}"#, "pipeline: expected one of web"),
        (#"{"pipeline": "web", "sources": []}"#, "sources: expected 1...10000"),
        (#"{"pipeline": "web", "sources": ["../etc/passwd"]}"#, "sources[0]"),
        (#"{"pipeline": "web", "sources": ["a"], "priority": 5000}"#, "priority"),
        (#"{"sources": ["a"]}"#, "pipeline is missing"),
        ("not json", "expected JSON"),
    ])
    func badJobs(body: String, detail: String) async throws {
        let setup = try Self.setup()
        try await setup.harness.test { client in
            let (status, answer) = try await Self.post(client, "/v1/jobs", Data(body.utf8))
            #expect(status == 400)
            #expect((answer["detail"] as? String ?? "").contains(detail), "\(answer)")
        }
    }

    @Test("with an API token, /v1 needs it; images and health do not")
    func token() async throws {
        let setup = try Self.setup(token: "t0k3n")
        try await setup.harness.test { client in
            #expect(try await Self.get(client, "/v1/queues").0 == 401)
            let authorised = try await client.execute(uri: "/v1/queues", method: .get, headers: [.authorization: "Bearer t0k3n"]) {
                Int($0.status.code)
            }
            #expect(authorised == 200)
            for wrong in ["Bearer t0k3", "Bearer t0k3nX", "bearer t0k3n", "t0k3n", ""] {
                let status = try await client.execute(uri: "/v1/jobs/x", method: .get, headers: [.authorization: wrong]) {
                    Int($0.status.code)
                }
                #expect(status == 401, "'\(wrong)'")
            }
            #expect(try await Self.get(client, "/health").0 == 200)
        }
    }
}
