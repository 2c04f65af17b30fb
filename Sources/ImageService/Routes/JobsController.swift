import Foundation
public import Hummingbird
public import ImageProcessing
public import JobQueue
import Scheduling
public import Logging
public import ObjectStorage
public import Pipelines
import ImageModel
import NIOFoundationEssentialsCompat

/// The JSON API for uploads, jobs, batches, queues and dead letters.
///
/// Uploads are sniffed and limited (bytes, then the header's pixels and frames) before they
/// are stored, under a key derived from their content, so the same image uploaded twice is
/// stored once and its upload pipelines run once.
public struct JobsController: Sendable {
    let queue: any JobScheduling
    let catalog: PipelineCatalog
    let store: any ObjectStore
    let processor: ImageProcessor
    /// The pipelines `POST /v1/images` runs.
    let onUpload: [String]
    /// When set, every `/v1` request needs `Authorization: Bearer <token>`.
    let apiToken: String?
    let logger: Logger

    /// The most sources one `POST /v1/jobs` may name.
    static let maxSourcesPerRequest = 10_000
    /// The queues `/v1/queues` reports.

    /// Creates the controller.
    public init(queue: any JobScheduling, catalog: PipelineCatalog, store: any ObjectStore, processor: ImageProcessor,
                onUpload: [String], apiToken: String? = nil, logger: Logger = Logger(label: "darkroom.jobs")) {
        self.queue = queue
        self.catalog = catalog
        self.store = store
        self.processor = processor
        self.onUpload = onUpload
        self.apiToken = apiToken
        self.logger = logger
    }

    /// Adds the `/v1` routes.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let v1 = router.group("v1")
        if let apiToken { v1.add(middleware: BearerTokenMiddleware(token: apiToken)) }
        v1.post("images") { request, _ in try await self.answer(request) { try await self.upload(request) } }
        v1.post("jobs") { request, _ in try await self.answer(request) { try await self.submit(request) } }
        v1.get("jobs/:id") { request, context in
            try await self.answer(request) { try await self.show(context.parameters.require("id")) }
        }
        v1.post("jobs/:id/cancel") { request, context in
            try await self.answer(request) { try await self.cancel(context.parameters.require("id")) }
        }
        v1.get("batches/:id") { request, context in
            try await self.answer(request) { try await self.batch(context.parameters.require("id")) }
        }
        v1.get("queues") { request, _ in try await self.answer(request) { try await self.queueStats() } }
        v1.get("scaling") { request, _ in
            try await self.answer(request) {
                let workers = try await self.queue.workers()
                var queues: [[String: Any]] = []
                for name in JobWireFormat.queues {
                    let signal = ScalingSignal(queue: name, stats: try await self.queue.stats(queue: name), workers: workers)
                    queues.append([
                        "queue": name, "depth": signal.depth, "in_flight": signal.inFlight,
                        "oldest_age_seconds": (signal.oldestAge * 10).rounded() / 10, "live_workers": signal.liveWorkers,
                        "throughput_per_worker": signal.throughputPerWorker.map { ($0 * 1000).rounded() / 1000 } as Any,
                        "desired_workers": signal.desiredWorkers,
                    ])
                }
                return (200, ["queues": queues])
            }
        }
        v1.get("workers") { request, _ in
            try await self.answer(request) {
                let leader = try await self.queue.leader()
                return (200, JobWireFormat.workers(try await self.queue.workers(), leader: leader))
            }
        }
        v1.get("dead-letters") { request, _ in
            try await self.answer(request) {
                let name = request.uri.queryParameters.get("queue") ?? PipelineJob.queue
                let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 100
                guard (1...1000).contains(limit) else {
                    throw ServiceError(status: 400, error: "invalid request", detail: "limit: expected 1...1000")
                }
                let jobs = try await self.queue.deadLetters(queue: name, limit: limit)
                return (200, ["queue": name, "jobs": jobs.map(JobWireFormat.job)])
            }
        }
        v1.post("dead-letters/:id/retry") { request, context in
            try await self.answer(request) {
                (200, JobWireFormat.job(try await self.queue.retry(deadJobID: try context.parameters.require("id"))))
            }
        }
    }

    // MARK: Handlers

    private func upload(_ request: Request) async throws -> (Int, Any) {
        let limit = processor.limits.maxInputBytes
        var body: Data
        do {
            // Multipart adds headers and boundaries around the file: allow a little more.
            body = Data(buffer: try await request.body.collect(upTo: limit + 64 << 10))
        } catch {
            throw ServiceError(status: 413, error: "too large", detail: "the upload is over max-src-bytes (\(limit))")
        }
        if let type = request.headers[.contentType], let boundary = MultipartFile.boundary(contentType: type) {
            guard let file = MultipartFile.first(in: body, boundary: boundary) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "body: expected multipart/form-data with a file part")
            }
            body = file.data
        }
        guard !body.isEmpty else { throw ServiceError(status: 400, error: "invalid request", detail: "body: expected an image") }
        guard body.count <= limit else {
            throw ServiceError(status: 413, error: "too large", detail: "the image has \(body.count) bytes; max-src-bytes is \(limit)")
        }
        // Sniff the type and check pixels and frames from the header, before storing anything.
        let bytes = body
        let header = try await processor.pool.run { _ in try self.processor.probe(.bytes(bytes)) }
        let imageID = PipelineRunner.imageID(of: body)
        let key = "originals/\(imageID)"
        _ = try await store.put(try ObjectKey(key), data: body,
                                options: PutOptions(contentType: "image/\(header.format)"))
        var jobs: [[String: Any]] = []
        for name in onUpload {
            let pipeline = try catalog.pipeline(named: name)
            let job = try await queue.enqueue(pipeline.job(
                source: key, queue: PipelineJob.uploadQueue,
                // The same image through the same pipeline version runs once.
                idempotencyKey: "upload:\(pipeline.name):\(pipeline.version):\(imageID)",
                batchID: "upload-\(imageID)",
                megapixels: Double(header.orientedWidth) * Double(header.orientedHeight) / 1e6))
            jobs.append(["id": job.id, "pipeline": pipeline.name, "status": job.status.rawValue])
        }
        return (202, ["image_id": imageID, "key": key, "width": header.orientedWidth, "height": header.orientedHeight,
                      "format": header.format, "batch_id": "upload-\(imageID)", "jobs": jobs] as [String: Any])
    }

    private struct SubmitRequest: Decodable {
        let pipeline: String
        let sources: [String]
        let priority: Int?
        let idempotencyKey: String?
        /// Overrides the pipeline's resources for these jobs.
        let resources: ResourceRequest?

        enum CodingKeys: String, CodingKey {
            case pipeline, sources, priority, resources
            case idempotencyKey = "idempotency_key"
        }
    }

    private func submit(_ request: Request) async throws -> (Int, Any) {
        let body = try await request.body.collect(upTo: 4 << 20)
        let submit: SubmitRequest
        do { submit = try JSONDecoder().decode(SubmitRequest.self, from: Data(buffer: body)) } catch {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "body: expected JSON {pipeline, sources: [...], priority?, idempotency_key?, resources?} (\(Self.describe(error)))")
        }
        let pipeline: Pipeline
        do { pipeline = try catalog.pipeline(named: submit.pipeline) } catch {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "pipeline: expected one of \(catalog.names.joined(separator: ", ")), not '\(submit.pipeline)'")
        }
        guard (1...Self.maxSourcesPerRequest).contains(submit.sources.count) else {
            throw ServiceError(status: 400, error: "invalid request", detail: "sources: expected 1...\(Self.maxSourcesPerRequest) sources")
        }
        for (index, source) in submit.sources.enumerated() where !RoutedPipelineSources.isURL(source) {
            do { _ = try ObjectKey(source) } catch {
                throw ServiceError(status: 400, error: "invalid request",
                                   detail: "sources[\(index)]: expected an object key, local:///path or an allowed URL (\(error))")
            }
        }
        let priority = submit.priority ?? 0
        guard (-1000...1000).contains(priority) else {
            throw ServiceError(status: 400, error: "invalid request", detail: "priority: expected -1000...1000")
        }
        if let problem = submit.resources?.problem {
            throw ServiceError(status: 400, error: "invalid request", detail: "resources.\(problem.field): expected \(problem.expected)")
        }
        let batchID = submit.idempotencyKey.map { "batch-\($0)" } ?? UUID().uuidString.lowercased()
        var ids: [String] = []
        for (index, source) in submit.sources.enumerated() {
            var job = pipeline.job(source: source, priority: priority, idempotencyKey: submit.idempotencyKey.map { "\($0):\(index)" },
                                   batchID: batchID)
            if let resources = submit.resources { job.resources = resources }
            let queued = try await queue.enqueue(job)
            ids.append(queued.id)
        }
        return (202, ["batch_id": batchID, "job_ids": ids] as [String: Any])
    }

    private func show(_ id: String) async throws -> (Int, Any) {
        guard let job = try await queue.job(id: id) else {
            throw ServiceError(status: 404, error: "not found", detail: "no job \(id)")
        }
        return (200, JobWireFormat.job(job))
    }

    private func cancel(_ id: String) async throws -> (Int, Any) {
        (200, JobWireFormat.job(try await queue.cancel(jobID: id)))
    }

    private func batch(_ id: String) async throws -> (Int, Any) {
        let progress = try await queue.batch(id: id)
        guard progress.total > 0 else { throw ServiceError(status: 404, error: "not found", detail: "no batch \(id)") }
        var counts: [String: Int] = [:]
        for status in JobStatus.allCases { counts[status.rawValue] = progress.counts[status] ?? 0 }
        return (200, ["batch_id": id, "total": progress.total, "finished": progress.finished, "done": progress.isDone,
                      "counts": counts, "eta_seconds": progress.estimatedSecondsLeft.map { ($0 * 10).rounded() / 10 } as Any])
    }

    private func queueStats() async throws -> (Int, Any) {
        var queues: [[String: Any]] = []
        let live = try await queue.workers().filter(\.alive)
        for name in JobWireFormat.queues {
            let stats = try await queue.stats(queue: name)
            // Queued jobs that ask for more than any live worker has: they wait, and say so.
            let unschedulable = try await queue.unschedulableJobs(queue: name, liveWorkers: live)
            queues.append(["name": name, "depth": stats.depth, "in_flight": stats.inFlight, "dead_letters": stats.dead,
                           "oldest_age_seconds": (stats.oldestAge * 10).rounded() / 10, "unschedulable": unschedulable])
        }
        return (200, ["queues": queues])
    }

    // MARK: Plumbing

    /// Runs `body` and writes its JSON, or the error's. (The token is checked before, by
    /// ``BearerTokenMiddleware``.)
    private func answer(_ request: Request, _ body: () async throws -> (Int, Any)) async throws -> Response {
        do {
            let (status, value) = try await body()
            let json = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(data: json)))
        } catch let error as JobQueueError {
            switch error {
            case .notFound: return ServiceError(status: 404, error: "not found", detail: error.description).response
            default: return ServiceError(status: 503, error: "queue unavailable", detail: error.description, retryAfter: 1).response
            }
        } catch let error as ObjectStoreError {
            return ServiceError(status: 503, error: "storage unavailable", detail: error.description, retryAfter: 1).response
        } catch {
            return ServiceError.from(error).response
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): "\(key.stringValue) is missing"
        case let DecodingError.typeMismatch(type, context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")) should be \(type)"
        default: "not valid JSON"
        }
    }
}
