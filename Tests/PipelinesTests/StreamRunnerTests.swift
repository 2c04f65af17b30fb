import Foundation
import ImageSources
import ImageAnalysis
import ImageModel
import ImageProcessing
import JobQueue
import Media
import ObjectStorage
import Pipelines
import Testing
import TestSupport

/// Stream jobs run by ``StreamRunner`` against a real `ffmpeg -re` sender over UDP: motion
/// events with snapshots and webhooks, a sender that restarts, removal, and what fails for good.
@Suite("Stream jobs: motion events, snapshots and webhooks from a live stream; restarts; refusals", .serialized,
       .enabled(if: StreamSender.available, "needs the ffmpeg tool (scripts/bootstrap)"))
struct StreamRunnerTests {
    static let spec = """
        name: cam
        motion: {every: 100ms, width: 160}
        on_event: {url: "http://127.0.0.1:9/hook", secret_env: CAM_SECRET}
        """

    struct Site {
        let queue = MemoryJobQueue()
        let store = MemoryObjectStore()
        let runner: StreamRunner

        let spec: String

        init(schemes: Set<String> = ["udp"], spec: String = StreamRunnerTests.spec, processor: ImageProcessor? = nil,
             readTimeout: Duration = .seconds(2), policy: HTTPSourceFetcher.Policy = .init()) throws {
            self.spec = spec
            let catalog = PipelineCatalog([try Pipeline(spec: spec, file: "cam.yaml")])
            runner = StreamRunner(rules: StreamSourceRules(schemes: schemes, policy: policy), catalog: catalog, store: store,
                                  queue: queue, processor: processor,
                                  settings: .init(maxPixels: 1_000_000, readTimeout: readTimeout, firstBackoff: .milliseconds(200),
                                                  maxBackoff: .seconds(1), faceInterval: 0.5))
        }

        /// A stream job as a worker would hold it.
        func job(_ url: String) async throws -> Job {
            let pipeline = try Pipeline(spec: spec, file: "cam.yaml")
            _ = try await queue.enqueue(StreamJob(url: url, pipeline: "cam", name: "door").job(pipeline: pipeline))
            return try #require(try await queue.claim(from: StreamJob.queue, leaseFor: .seconds(60))).job
        }

        /// A worker's handling of a stream job for `url`, under way: the job, the progress it
        /// reports and the task (cancelling it is removing the stream).
        func reading(_ url: String) async throws -> (job: Job, progress: JobProgress, running: Task<Data?, any Error>) {
            let job = try await job(url)
            let progress = JobProgress()
            return (job, progress, Task { try await runner.handle(job, progress: progress) })
        }

        /// Waits up to `seconds` for a run of motion (a started and an ended event) and checks it
        /// lasted the 2 s the senders plant; returns the two events.
        func motionRun(within seconds: Double) async throws -> (started: [String: Any], ended: [String: Any]) {
            try await StreamRunnerTests.poll(seconds, "a motion.started and a motion.ended event") {
                try await self.events().map { $0["event"] as? String }.contains("motion.ended")
            }
            let queued = try await self.events()
            let started = try #require(queued.first { $0["event"] as? String == "motion.started" })
            let ended = try #require(queued.first { $0["event"] as? String == "motion.ended" })
            let span = try #require(ended["stream_seconds"] as? Double) - (try #require(started["stream_seconds"] as? Double))
            #expect(abs(span - 2) <= 0.5, "motion lasted \(span) s of stream time, planted 2 s")
            return (started, ended)
        }

        /// The event webhooks queued so far, as their bodies.
        func events() async throws -> [[String: Any]] {
            try await queue.list(queue: WebhookDelivery.queue, status: nil, limit: 100).reversed().map { job in
                let delivery = try JSONDecoder().decode(WebhookDelivery.self, from: job.payload)
                #expect(delivery.url == "http://127.0.0.1:9/hook" && delivery.secretEnv == "CAM_SECRET")
                return try #require(try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])
            }
        }
    }

    static func status(_ progress: JobProgress) -> StreamStatus? { StreamStatus(stored: progress.latest) }

    static func poll(_ seconds: Double, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    @Test("motion in a live stream raises started and ended events two seconds apart, each with a stored JPEG snapshot and a webhook; the stream survives its sender restarting; removal stops it")
    func liveMotion() async throws {
        let site = try Site()
        let sender = StreamSender(.udp(port: LocalPort.free(udp: true)))
        try sender.start()
        defer { sender.stop() }
        let (job, progress, running) = try await site.reading(sender.url)
        defer { running.cancel() }

        // One 6-second cycle of the scene holds one run of motion: 2 s of a moving square.
        let (started, ended) = try await site.motionRun(within: 20)
        #expect(started["stream_id"] as? String == job.id && started["name"] as? String == "door" && started["pipeline"] as? String == "cam")
        for event in [started, ended] {
            let key = try #require(event["snapshot"] as? String)
            // To the millisecond, so that two events of one name in a second keep both snapshots.
            #expect(key.hasPrefix("streams/\(job.id)/") && key.contains(/T\d{6}\.\d{3}Z-motion\.(started|ended)\.jpg$/), "\(key)")
            let snapshot = try await site.store.get(try ObjectKey(key))
            #expect(snapshot.data.prefix(3) == Data([0xFF, 0xD8, 0xFF]) && snapshot.info.contentType == "image/jpeg")
        }
        let status = try #require(Self.status(progress))
        #expect(status.state == .running && status.codec == "h264" && (status.width, status.height) == (320, 180))
        #expect(status.fpsIn > 20 && status.fpsOut > 6 && status.fpsOut < 12, "\(status)")
        #expect(status.lag < 2 && status.lastFrameAt != nil, "\(status)")

        // The sender stops: after the read timeout the stream is reopened, with back-off, until
        // the sender is back; then frames and events flow again.
        sender.stop()
        try await Self.poll(10, "the stream to be seen dropped") { Self.status(progress)?.state == .reconnecting }
        #expect(Self.status(progress)?.lastError?.hasPrefix("stream:") == true, "\(String(describing: Self.status(progress)))")
        try sender.start()
        let before = try await site.events().count
        try await Self.poll(25, "frames and a new event after the sender restarted") {
            let status = Self.status(progress)
            let events = try await site.events().count
            return status?.state == .running && (status?.frames ?? 0) > 10 && events > before
        }
        #expect((Self.status(progress)?.reconnects ?? 0) >= 1)

        // Removal cancels the job's task: the helper is stopped and the handler ends at once.
        let cancelled = ContinuousClock.now
        running.cancel()
        await #expect(throws: CancellationError.self) { _ = try await running.value }
        #expect(ContinuousClock.now - cancelled < .seconds(5))
    }

    @Test("features: [faces] on a stream: a face.detected event when a face appears (a clip made from the face fixture), with the count, a snapshot with the face blurred, and a webhook")
    func faces() async throws {
        let detector = try FaceDetector(models: FaceModels(folder: FaceFixtures.models))
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: detector, absence: "")
        let spec = Self.spec.replacingOccurrences(of: "width: 160}", with: "width: 160, blur_faces: 25}") + "\nfeatures: [faces]\n"
        let site = try Site(spec: spec, processor: processor)
        let sender = StreamSender(.udp(port: LocalPort.free(udp: true)), scene: .photo(Fixtures.url("faces/astronaut.jpg").path))
        try sender.start()
        defer { sender.stop() }
        let (job, _, running) = try await site.reading(sender.url)
        defer { running.cancel() }
        try await Self.poll(20, "a face.detected event") {
            try await site.events().contains { $0["event"] as? String == "face.detected" }
        }
        let event = try #require(try await site.events().first { $0["event"] as? String == "face.detected" })
        #expect((event["faces"] as? Int ?? 0) >= 1, "\(event)")
        let key = try #require(event["snapshot"] as? String)
        let snapshot = try await site.store.get(try ObjectKey(key)).data
        #expect(snapshot.prefix(2) == Data([0xFF, 0xD8]))
        // blur_faces: the stored snapshot identifies nobody; the detector finds no face in it.
        let left = try await processor.derive(.bytes(snapshot), preprocess: Recipe(), inspect: { working, _ in
            try detector.detect(["face"], in: working, longestSide: detector.workingSize).count
        }, outputs: { _ in [] }).inspection
        #expect(left == 0, "\(left) faces left in the snapshot")
        // The face stays two seconds (four looks, one every half second) and comes back four
        // seconds later: one event each time it appears, not one per look.
        try await Task.sleep(for: .seconds(2.5))
        let looks = try await site.events().filter { $0["event"] as? String == "face.detected" }.count
        #expect(looks == 1, "\(looks) face events for one appearance")
        running.cancel()
    }

    @Test("an RTSP camera (GStreamer's server, allowed to be on loopback) raises the same motion events, with snapshots")
    func rtspMotion() async throws {
        // Loopback is an internal address: refused unless the policy allows internal networks.
        let refused = try Site(schemes: ["rtsp"])
        let sender = StreamSender(.rtsp(port: LocalPort.free()))
        await #expect {
            _ = try await refused.runner.handle(try await refused.job(sender.url), progress: JobProgress())
        } throws: { error in
            guard case let .permanent(message) = error as? JobFailure else { return false }
            return message.contains("internal address")
        }
        let site = try Site(schemes: ["rtsp"], policy: .init(allowInternalNetworks: true))
        try sender.start()
        defer { sender.stop() }
        // The server may not listen yet: the runner reconnects with back-off until it does.
        let (_, progress, running) = try await site.reading(sender.url)
        defer { running.cancel() }
        // The 12-second clip holds one run of motion, from 2 to 4 s.
        let (started, _) = try await site.motionRun(within: 25)
        #expect(started["url"] as? String == sender.url, "\(started)")
        let key = try #require(started["snapshot"] as? String)
        #expect(try await site.store.get(try ObjectKey(key)).data.prefix(3) == Data([0xFF, 0xD8, 0xFF]))
        let status = try #require(Self.status(progress))
        #expect(status.codec == "h264" && (status.width, status.height) == (320, 180), "\(status)")
    }

    @Test("a stream removed while its helper still waits for the stream to answer stops at once, not after the read timeout")
    func removedWhileOpening() async throws {
        // Nothing sends to the port: the helper waits up to 20 s for a first packet.
        let site = try Site(readTimeout: .seconds(20))
        let (_, _, running) = try await site.reading("udp://127.0.0.1:\(LocalPort.free(udp: true))")
        try await Task.sleep(for: .seconds(1))
        let removed = ContinuousClock.now
        running.cancel()
        _ = await running.result
        let waited = ContinuousClock.now - removed
        #expect(waited < .seconds(5), "removal waited \(waited) for the helper to give up opening")
    }

    @Test("what another attempt cannot cure fails the job for good: a scheme not turned on, an internal host, a pipeline without motion")
    func permanentFailures() async throws {
        let site = try Site(schemes: ["udp", "http"])
        let progress = JobProgress()
        for url in ["rtsp://camera.example/live", "http://127.0.0.1:9/live.ts"] {
            let job = try await site.job(url)
            await #expect {
                _ = try await site.runner.handle(job, progress: progress)
            } throws: { error in
                guard case let .permanent(message) = error as? JobFailure else { return false }
                return message.contains("not allowed") || message.contains("internal address")
            }
        }
        let still = try Site(spec: "name: cam\nfeatures: [dimensions]\n")
        let job = try await site.job("udp://127.0.0.1:9")
        await #expect {
            _ = try await still.runner.handle(job, progress: progress)
        } throws: { error in
            guard case let .permanent(message) = error as? JobFailure else { return false }
            return message.contains("no motion: step")
        }
    }

    @Test("a pipeline's motion: and on_event: are read and checked field by field")
    func spec() throws {
        let pipeline = try Pipeline(spec: """
            name: cam
            motion: {every: 200ms, width: 320, min_area: 0.02, dwell: 1s, threshold: 30, blur_faces: 12}
            """, file: "cam.yaml")
        #expect(pipeline.motion?.every == 0.2 && pipeline.motion?.width == 320)
        #expect(pipeline.motion?.blurFaces == 12)
        #expect(pipeline.motion?.detector.minArea == 0.02 && pipeline.motion?.detector.dwell == 1 && pipeline.motion?.detector.threshold == 30)
        for (bad, field) in [("motion: {every: 5ms}", "motion.every"), ("motion: {width: 8000}", "motion.width"),
                             ("motion: {min_area: 0.9}", "motion.min_area"), ("motion: {threshold: 0}", "motion.threshold"), ("motion: {blur_faces: -1}", "motion.blur_faces"),
                             ("motion: {speed: 2}", "motion"), ("on_event: {url: \"http://x/h\"}\nfeatures: [dimensions]", "on_event"),
                             ("motion: {}\non_event: {url: \"ftp://x/h\"}", "on_event.url")] {
            #expect {
                _ = try Pipeline(spec: "name: cam\n\(bad)", file: "cam.yaml")
            } throws: { error in
                guard case let .invalidSpec(_, found, _) = error as? PipelineError else { return false }
                return found.hasPrefix(field)
            }
        }
    }
}
