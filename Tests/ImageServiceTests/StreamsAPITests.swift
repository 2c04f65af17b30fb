import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageService
import ImageSources
import JobQueue
import NIOCore
import ObjectStorage
import Pipelines
import Testing
import TestSupport
import NIOFoundationEssentialsCompat

/// `POST`, `GET` and `DELETE /v1/streams`: parse, check the URL against the node's stream
/// rules, queue; the list shows what each stream last reported.
@Suite("Streams API")
struct StreamsAPITests {
    static func setup() throws -> (ServiceHarness, MemoryJobQueue) {
        let queue = MemoryJobQueue()
        let cam = try Pipeline(spec: "name: cam\nmotion: {every: 200ms}\n", file: "cam.yaml")
        let web = try Pipeline(spec: "name: web\nfeatures: [dimensions]\n", file: "web.yaml")
        let rules = StreamSourceRules(schemes: ["udp", "http"], policy: .init())
        let harness = try ServiceHarness.make(settings: ImageServiceSettings()) { processor in
            V1API(queue: queue, catalog: PipelineCatalog([cam, web]), store: MemoryObjectStore(), processor: processor,
                  onUpload: [], streamRules: rules)
        }
        return (harness, queue)
    }

    @Test("a stream is added, listed with its last report, shown and removed; the URL's credentials never appear")
    func lifecycle() async throws {
        let (harness, queue) = try Self.setup()
        try await harness.test { client in
            let body = Data(#"{"url": "udp://cam:secret@0.0.0.0:5000", "pipeline": "cam", "name": "gate"}"#.utf8)
            let (status, added) = try await JobsAPITests.post(client, "/v1/streams", body)
            #expect(status == 201, "\(added)")
            let id = try #require(added["id"] as? String)
            #expect(added["url"] as? String == "udp://0.0.0.0:5000" && added["status"] as? String == "queued" && added["name"] as? String == "gate")

            // A worker takes it and reports.
            let lease = try #require(try await queue.claim(from: StreamJob.queue, leaseFor: .seconds(60)))
            var report = StreamStatus()
            report.state = .running
            report.fpsIn = 25
            report.frames = 40
            _ = try await queue.heartbeat(lease, extendBy: .seconds(60), progress: report.encoded())
            let (listed, list) = try await JobsAPITests.get(client, "/v1/streams")
            let streams = try #require(list["streams"] as? [[String: Any]])
            #expect(listed == 200 && streams.count == 1)
            let shown = try #require(streams.first)
            #expect(shown["status"] as? String == "running" && (shown["report"] as? [String: Any])?["fps_in"] as? Double == 25)
            #expect(!String(describing: list).contains("secret"))
            let (_, job) = try await JobsAPITests.get(client, "/v1/jobs/\(id)")
            #expect((job["payload"] as? [String: Any])?["url"] as? String == "udp://0.0.0.0:5000", "\(job)")
            let (one, single) = try await JobsAPITests.get(client, "/v1/streams/\(id)")
            #expect(one == 200 && (single["report"] as? [String: Any])?["frames"] as? Int == 40)

            let removed = try await client.execute(uri: "/v1/streams/\(id)", method: .delete) { (Int($0.status.code), $0.json) }
            #expect(removed.0 == 200 && removed.1["status"] as? String == "cancelled")
            #expect(try await queue.job(id: id)?.status == .cancelled)
            let (_, after) = try await JobsAPITests.get(client, "/v1/streams")
            #expect((after["streams"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await JobsAPITests.get(client, "/v1/streams/nope").0 == 404)
        }
    }

    @Test("a live stream is listed however many removed streams came after it")
    func removedHistory() async throws {
        let clock = ManualJobClock()
        let queue = MemoryJobQueue(clock: clock)
        let cam = try Pipeline(spec: "name: cam\nmotion: {every: 200ms}\n", file: "cam.yaml")
        let live = try await queue.enqueue(StreamJob(url: "udp://0.0.0.0:5000", pipeline: "cam", name: "live").job(pipeline: cam))
        for index in 0..<1000 {
            clock.advance(.seconds(1))
            let removed = try await queue.enqueue(StreamJob(url: "udp://0.0.0.0:\(6000 + index)", pipeline: "cam").job(pipeline: cam))
            _ = try await queue.cancel(jobID: removed.id)
        }
        #expect(try await StreamView.list(in: queue).map(\.id) == [live.id])
        let all = try await StreamView.list(in: queue, includingRemoved: true)
        #expect(all.count == 1000 && all.first?.status == "cancelled" && !all.contains { $0.id == live.id }, "newest first, at most 1000")
    }

    @Test("refused before anything is queued: bad JSON, a pipeline without motion:, a scheme not turned on, an internal host",
          arguments: [
              (#"{"url": 5}"#, 400, "body"),
              (#"{"url": "udp://0.0.0.0:5000", "pipeline": "web"}"#, 400, "pipeline: expected a loaded pipeline with a motion: step (cam)"),
              (#"{"url": "rtsp://camera.example/live", "pipeline": "cam"}"#, 403, "rtsp streams are not allowed"),
              (#"{"url": "http://169.254.169.254/latest", "pipeline": "cam"}"#, 403, "an internal address"),
              (#"{"url": "ftp://camera.example/x", "pipeline": "cam"}"#, 400, "a stream's scheme is one of"),
              ("{\"url\": \"udp://0.0.0.0:5000\", \"pipeline\": \"cam\", \"name\": \"\(String(repeating: "n", count: 201))\"}", 400,
               "name: at most 200 characters"),
          ])
    func refused(_ body: String, _ expected: Int, _ detail: String) async throws {
        let (harness, queue) = try Self.setup()
        try await harness.test { client in
            let (status, answer) = try await JobsAPITests.post(client, "/v1/streams", Data(body.utf8))
            #expect(status == expected && (answer["detail"] as? String)?.contains(detail) == true, "\(answer)")
            #expect(try await queue.list(queue: StreamJob.queue, status: nil, limit: 10).isEmpty)
        }
    }
}
