public import Foundation
public import ImageSources
public import JobQueue
public import Logging
import ImageAnalysis
import ImageModel
public import ImageProcessing
import Media
public import ObjectStorage

/// Runs stream jobs: reads the stream for as long as the job lives, runs its pipeline's
/// `motion:` step on the sampled frames (and, with `features: [faces]`, looks for faces once a
/// second on the pixel pool), stores a snapshot for each event and posts the event to the
/// pipeline's `on_event:` webhook (through the `webhooks` queue, signed and retried).
///
/// A stream that drops, or will not open, is reopened after a back-off (0.5 s doubling to
/// 30 s, back to the start after a connection that lasted 30 s), for ever: a camera being
/// rebooted is not a failed job. What another attempt cannot cure — a URL the rules refuse, a
/// pipeline without `motion:`, a codec this build lacks, a frame over the pixel limit — fails
/// the job for good. The job holds one worker slot; the other slots never wait on it.
public struct StreamRunner: JobHandler {
    /// How streams are read.
    public struct Settings: Sendable {
        /// The most pixels a stream's frame may have (`max-src-pixels`).
        public var maxPixels: Int
        /// How long a stream may send nothing before it counts as dropped.
        public var readTimeout: Duration
        /// The first pause before reopening a stream, doubled after each failure up to ``maxBackoff``.
        public var firstBackoff: Duration
        public var maxBackoff: Duration
        /// The helper binary (nil: the one installed beside `darkroom`).
        public var decoder: URL?
        /// Seconds between looks for faces, for pipelines with `features: [faces]`.
        public var faceInterval: Double

        /// Settings; the defaults suit cameras on a network.
        public init(maxPixels: Int, readTimeout: Duration = .seconds(10), firstBackoff: Duration = .milliseconds(500),
                    maxBackoff: Duration = .seconds(30), decoder: URL? = nil, faceInterval: Double = 1) {
            self.faceInterval = faceInterval
            self.maxPixels = maxPixels
            self.readTimeout = readTimeout
            self.firstBackoff = firstBackoff
            self.maxBackoff = maxBackoff
            self.decoder = decoder
        }
    }

    let rules: StreamSourceRules
    let catalog: PipelineCatalog
    let store: any ObjectStore
    let queue: any JobQueue
    /// Its pixel pool and face detector look for faces.
    let processor: ImageProcessor?
    let settings: Settings
    let logger: Logger

    /// A runner checking URLs with `rules`, finding pipelines in `catalog`, storing snapshots
    /// in `store`, queueing webhooks on `queue`, and looking for faces with `processor`'s
    /// detector on its pool.
    public init(rules: StreamSourceRules, catalog: PipelineCatalog, store: any ObjectStore, queue: any JobQueue,
                processor: ImageProcessor? = nil, settings: Settings, logger: Logger = Logger(label: "darkroom.streams")) {
        self.processor = processor
        self.rules = rules
        self.catalog = catalog
        self.store = store
        self.queue = queue
        self.settings = settings
        self.logger = logger
    }

    public func handle(_ job: Job) async throws -> Data? {
        try await handle(job, progress: JobProgress())
    }

    /// Reads the stream until the job is cancelled; throws only what another attempt cannot cure.
    public func handle(_ job: Job, progress: JobProgress) async throws -> Data? {
        let stream: StreamJob
        let pipeline: Pipeline
        do {
            stream = try StreamJob(payload: job.payload)
            pipeline = try catalog.pipeline(named: stream.pipeline)
        } catch {
            throw JobFailure.permanent(error.description)
        }
        guard let motion = pipeline.motion else {
            throw JobFailure.permanent("pipeline '\(pipeline.name)' has no motion: step to run on a stream")
        }
        let faces = pipeline.features.contains(.faces)
        if faces || motion.blurFaces != nil, processor?.detector == nil {
            throw JobFailure.permanent("pipeline '\(pipeline.name)' looks for faces, and this worker has no face detector")
        }
        let monitor = StreamMonitor(detector: motion.detector, faceInterval: faces ? settings.faceInterval : nil, progress: progress)
        var failures = 0
        while true {
            try Task.checkCancellation()
            // Checked at every connection: the host's address may have changed.
            let checked: StreamSourceRules.Checked?
            do {
                checked = try rules.check(stream.url)
            } catch {
                // A name that does not resolve may resolve later; a refused URL stays refused.
                guard case .unreachable = error else { throw JobFailure.permanent("stream \(stream.displayURL): \(error)") }
                checked = nil
            }
            monitor.update { $0.state = .connecting }
            let started = ContinuousClock.now
            var reason = "the stream ended"
            if let checked {
                do {
                    try await session(checked, job: job, stream: stream, pipeline: pipeline, motion: motion, monitor: monitor)
                } catch let error as MediaError {
                    try Task.checkCancellation()
                    switch error {
                    case .unsupported, .limitExceeded: throw JobFailure.permanent("stream \(stream.displayURL): \(error)")
                    default: reason = error.description
                    }
                }
            } else {
                reason = "the stream's host does not resolve"
            }
            try Task.checkCancellation()
            // A connection that lasted starts the back-off again: this drop is news, not a pattern.
            failures = ContinuousClock.now - started > .seconds(30) ? 1 : failures + 1
            let pause = min(settings.maxBackoff, settings.firstBackoff * (1 << min(failures - 1, 16)))
            monitor.update {
                $0.state = .reconnecting
                $0.reconnects += 1
                $0.lastError = reason
                $0.fpsIn = 0
                $0.fpsOut = 0
                $0.lag = 0
            }
            logger.warning("stream dropped; reopening", metadata: [
                "stream": "\(job.id)", "url": "\(stream.displayURL)", "reason": "\(reason)", "pause_s": "\(pause)",
            ])
            try await Task.sleep(for: pause)
        }
    }

    /// One connection: samples analysed on the session's thread, events delivered here.
    private func session(_ checked: StreamSourceRules.Checked, job: Job, stream: StreamJob, pipeline: Pipeline,
                         motion: MotionStep, monitor: StreamMonitor) async throws {
        let session = StreamSession(checked: checked, settings: .init(
            every: motion.every, width: motion.width, maxPixels: settings.maxPixels, readTimeout: settings.readTimeout,
            decoder: settings.decoder))
        let (work, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingNewest(64))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await session.read(opened: { attributes, width, height in
                    monitor.connected(attributes, width: width, height: height)
                }, sample: { sample in
                    let now = Date()
                    let (event, faces) = monitor.observe(sample, at: now)
                    if let event {
                        // Encoded here, on the session's thread: the frame goes no further.
                        continuation.yield(.event(StreamEvent(name: event.event, seconds: event.seconds, area: event.area, faces: nil,
                                                              at: now, snapshot: try? sample.jpeg())))
                    }
                    if faces { continuation.yield(.faces(sample, now)) }
                })
            }
            var facesPresent = false
            for await item in work {
                switch item {
                case let .event(event):
                    await deliver(event, job: job, stream: stream, pipeline: pipeline)
                    monitor.update { $0.events += 1 }
                case let .faces(sample, at):
                    guard let found = await faces(in: sample, at: at, job: job) else { continue }
                    // An event when faces appear, not for every look while they stay.
                    let present = (found.faces ?? 0) > 0
                    if present, !facesPresent {
                        await deliver(found, job: job, stream: stream, pipeline: pipeline)
                        monitor.update { $0.events += 1 }
                    }
                    facesPresent = present
                }
            }
            try await group.waitForAll()
        }
    }

    /// What the session's thread hands on: an event, or a frame due a look for faces.
    private enum Work: Sendable {
        case event(StreamEvent)
        case faces(VideoSample, Date)
    }

    /// Looks for faces in `sample` on the pixel pool: a `face.detected` event (with its
    /// snapshot) however many it finds; nil when the look failed (logged: the stream goes on).
    private func faces(in sample: VideoSample, at: Date, job: Job) async -> StreamEvent? {
        guard let processor, let detector = processor.detector else { return nil }
        do {
            return try await processor.pool.run { _ in
                let image = try DecodedImage(sample)
                let faces = try detector.detect(["face"], in: image, longestSide: detector.workingSize)
                let covered = faces.reduce(0.0) { $0 + Double($1.box.width * $1.box.height) } / Double(sample.width * sample.height)
                return StreamEvent(name: "face.detected", seconds: sample.seconds, area: min(1, covered), faces: faces.count, at: at,
                                   snapshot: faces.isEmpty ? nil : try? sample.jpeg())
            }
        } catch {
            logger.warning("face detection failed on a stream frame", metadata: ["stream": "\(job.id)", "error": "\(error)"])
            return nil
        }
    }

    /// `snapshot` with every face blurred with sigma `blur` (the `bd` option, on the pixel pool),
    /// or as it is when no blur is asked for; nil when it cannot be blurred (never stored unblurred).
    private func withFacesBlurred(_ snapshot: Data?, blur: Double?, job: Job) async -> Data? {
        guard let snapshot, let blur else { return snapshot }
        guard let processor else { return nil }
        do {
            let recipe = try Recipe(operations: [.blurDetections(sigma: blur, classes: ["face"])], output: OutputSpec(format: .jpeg))
            return try await processor.run(recipe, on: .bytes(snapshot)).data
        } catch {
            logger.warning("a snapshot's faces could not be blurred; not stored", metadata: ["stream": "\(job.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Stores the event's snapshot and queues its webhook; a store or queue that does not
    /// answer loses this event's delivery (logged), never the stream.
    private func deliver(_ event: StreamEvent, job: Job, stream: StreamJob, pipeline: Pipeline) async {
        // Milliseconds: two events of one name within a second must not share a key (the second
        // snapshot would overwrite the first).
        let stamp = event.at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            .replacingOccurrences(of: ":", with: "")
        var snapshotKey: String?
        if let snapshot = await withFacesBlurred(event.snapshot, blur: pipeline.motion?.blurFaces, job: job) {
            let key = "streams/\(job.id)/\(stamp)-\(event.name).jpg"
            do {
                _ = try await store.put(try ObjectKey(key), data: snapshot, options: PutOptions(contentType: "image/jpeg"))
                snapshotKey = key
            } catch {
                logger.warning("event snapshot not stored", metadata: ["stream": "\(job.id)", "error": "\(error)"])
            }
        }
        logger.info("stream event", metadata: [
            "stream": "\(job.id)", "event": "\(event.name)", "seconds": "\(event.seconds)",
            "snapshot": "\(snapshotKey ?? "-")",
        ])
        guard let hook = pipeline.onEvent else { return }
        let body = StreamEvent.Body(event: event.name, streamID: job.id, name: stream.name, url: stream.displayURL,
                                    pipeline: pipeline.name, at: event.at, streamSeconds: event.seconds,
                                    area: event.area, faces: event.faces, snapshot: snapshotKey)
        do {
            let delivery = WebhookDelivery(url: hook.url, secretEnv: hook.secretEnv, body: String(decoding: body.encoded(), as: UTF8.self))
            _ = try await queue.enqueue(NewJob(queue: WebhookDelivery.queue, payload: try JSONEncoder().encode(delivery),
                                               maxAttempts: WebhookDelivery.maxAttempts,
                                               idempotencyKey: "stream:\(job.id):\(stamp):\(event.name)"))
        } catch {
            logger.warning("event webhook not queued", metadata: ["stream": "\(job.id)", "error": "\(error)"])
        }
    }
}
