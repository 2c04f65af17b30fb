import Foundation
public import Hummingbird
public import JobQueue
import ObjectStorage
public import Pipelines
import Logging
import NIOFoundationEssentialsCompat
import Scheduling

/// Jobs, batches and dead letters: `POST /v1/jobs`, `GET /v1/jobs/{id}`, cancel, batches,
/// and the dead letters with their retry.
public struct JobsController: Sendable {
    let queue: any JobQueue
    let catalog: PipelineCatalog
    /// Where admin actions (cancel, retry) are recorded; nil records none.
    let audit: (any AccessStore)?

    /// The most sources one `POST /v1/jobs` may name.
    static let maxSourcesPerRequest = 10_000

    /// Creates the controller.
    public init(queue: any JobQueue, catalog: PipelineCatalog, audit: (any AccessStore)? = nil) {
        self.queue = queue
        self.catalog = catalog
        self.audit = audit
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        group.post("jobs") { request, context in try await self.submit(request, context: context) }
        group.get("jobs/:id") { _, context in
            JSONResponse(JobView(try await self.visibleJob(try context.parameters.require("id"), to: context.principal)))
        }
        group.post("jobs/:id/cancel") { _, context in
            let id = try context.parameters.require("id")
            _ = try await self.visibleJob(id, to: context.principal)
            let job = try await self.queue.cancel(jobID: id)
            try await self.record("job.cancel", target: id, by: context.principal)
            return JSONResponse(JobView(job))
        }
        group.get("batches/:id") { _, context in
            let id = try context.parameters.require("id")
            let progress = try await self.queue.batch(id: id)
            guard progress.total > 0 else { throw ServiceError(status: 404, error: "not found", detail: "no batch \(id)") }
            return JSONResponse(BatchResponse(id: id, progress: progress))
        }
        group.get("dead-letters") { request, context in
            let name = request.uri.queryParameters.get("queue") ?? PipelineJob.queue
            let limit = try ListLimit.of(request)
            let jobs = try await self.queue.deadLetters(queue: name, limit: limit)
                .filter { Self.isVisible($0, to: context.principal) }
            return JSONResponse(DeadLettersResponse(queue: name, jobs: jobs.map(JobView.init)))
        }
        group.post("dead-letters/:id/retry") { _, context in
            let id = try context.parameters.require("id")
            _ = try await self.visibleJob(id, to: context.principal)
            let job = try await self.queue.retry(deadJobID: id)
            try await self.record("job.retry", target: id, by: context.principal)
            return JSONResponse(JobView(job))
        }
    }

    /// The job, when the principal may see it: a key bound to a prefix sees only the jobs
    /// whose source lies under it; another's is a 403 naming the prefix.
    private func visibleJob(_ id: String, to principal: Principal?) async throws -> Job {
        guard let job = try await queue.job(id: id) else {
            throw ServiceError(status: 404, error: "not found", detail: "no job \(id)")
        }
        guard Self.isVisible(job, to: principal) else {
            throw ServiceError(status: 403, error: "forbidden",
                               detail: "key \(principal?.actor ?? "") may only read jobs whose source is under '\(principal?.prefix ?? "")'")
        }
        return job
    }

    static func isVisible(_ job: Job, to principal: Principal?) -> Bool {
        guard let principal, principal.prefix != nil else { return true }
        guard let source = try? JSONDecoder().decode(PipelineJob.self, from: job.payload).source else { return false }
        return principal.allows(objectKey: source)
    }

    /// Checks that a key bound to a prefix names only objects under it: no `local:///` or
    /// `s3://` source, which would read outside storage or another bucket.
    static func checkSource(_ source: String, index: Int, for principal: Principal?) throws {
        guard let principal, let prefix = principal.prefix else { return }
        if source.hasPrefix("http:") || source.hasPrefix("https:") { return }
        guard !RoutedPipelineSources.isURL(source), principal.allows(objectKey: source) else {
            throw ServiceError(status: 403, error: "forbidden",
                               detail: "sources[\(index)]: key \(principal.actor) may only name objects under '\(prefix)' or http(s) URLs")
        }
    }

    private func record(_ action: String, target: String, by principal: Principal?) async throws {
        try await audit?.recordAudit(AuditEntry(actor: principal?.actor ?? "anonymous", action: action, target: target))
    }

    /// Parses, then validates every field, then enqueues: nothing is queued when any part is wrong.
    private func submit(_ request: Request, context: some AuthenticatedContext) async throws -> JSONResponse<SubmitResponse> {
        let body = try await request.body.collect(upTo: 4 << 20)
        let submission: JobSubmission
        do { submission = try JSONDecoder().decode(JobSubmission.self, from: Data(buffer: body)) } catch {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "body: expected JSON {pipeline, sources: [...], priority?, idempotency_key?, resources?} (\(Self.describe(error)))")
        }
        let pipeline: Pipeline
        do { pipeline = try catalog.pipeline(named: submission.pipeline) } catch {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "pipeline: expected one of \(catalog.names.joined(separator: ", ")), not '\(submission.pipeline)'")
        }
        guard (1...Self.maxSourcesPerRequest).contains(submission.sources.count) else {
            throw ServiceError(status: 400, error: "invalid request", detail: "sources: expected 1...\(Self.maxSourcesPerRequest) sources")
        }
        for (index, source) in submission.sources.enumerated() {
            try Self.checkSource(source, index: index, for: context.principal)
            guard !RoutedPipelineSources.isURL(source) else { continue }
            do { _ = try ObjectKey(source) } catch {
                throw ServiceError(status: 400, error: "invalid request",
                                   detail: "sources[\(index)]: expected an object key, local:///path or an allowed URL (\(error))")
            }
        }
        let priority = submission.priority ?? 0
        guard (-1000...1000).contains(priority) else {
            throw ServiceError(status: 400, error: "invalid request", detail: "priority: expected -1000...1000")
        }
        if let problem = submission.resources?.problem {
            throw ServiceError(status: 400, error: "invalid request", detail: "resources.\(problem.field): expected \(problem.expected)")
        }
        let batchID = submission.idempotencyKey.map { "batch-\($0)" } ?? UUID().uuidString.lowercased()
        var ids: [String] = []
        for (index, source) in submission.sources.enumerated() {
            var job = pipeline.job(source: source, priority: priority,
                                   idempotencyKey: submission.idempotencyKey.map { "\($0):\(index)" }, batchID: batchID)
            if let resources = submission.resources { job.resources = resources }
            ids.append(try await queue.enqueue(job).id)
        }
        context.logger.info("batch submitted", metadata: ["batch_id": "\(batchID)", "pipeline": "\(pipeline.name)",
                                                          "jobs": "\(ids.count)"])
        return JSONResponse(SubmitResponse(batchID: batchID, jobIDs: ids), status: .accepted)
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
