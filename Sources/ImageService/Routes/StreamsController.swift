import Foundation
public import Hummingbird
public import ImageSources
public import JobQueue
import Logging
import NIOFoundationEssentialsCompat
public import Pipelines

/// Live streams: `POST /v1/streams` adds one (a long-running job a worker reads until it is
/// removed), `GET /v1/streams` lists them with what each last reported, `DELETE
/// /v1/streams/{id}` removes one. Adding and removing need the `admin` scope: a stream holds a
/// worker slot for as long as it lives and makes the workers open network connections.
public struct StreamsController: Sendable {
    let queue: any JobQueue
    let catalog: PipelineCatalog
    /// The rules a stream's URL is checked against when it is added (the workers check again
    /// at every connection, with theirs).
    let rules: StreamSourceRules
    let audit: (any AccessStore)?

    /// Creates the controller.
    public init(queue: any JobQueue, catalog: PipelineCatalog, rules: StreamSourceRules, audit: (any AccessStore)? = nil) {
        self.queue = queue
        self.catalog = catalog
        self.rules = rules
        self.audit = audit
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        group.post("streams") { request, context in try await self.add(request, context: context) }
        group.get("streams") { _, context in
            // A key bound to a prefix sees no stream: a stream reads no object under a prefix, as a
            // job it may see does (the rule `JobsController` applies).
            guard context.principal?.prefix == nil else { return JSONResponse(StreamsResponse(streams: [])) }
            return JSONResponse(StreamsResponse(streams: try await StreamView.list(in: self.queue)))
        }
        group.get("streams/:id") { _, context in
            JSONResponse(try await self.stream(try context.parameters.require("id"), for: context.principal).view)
        }
        group.delete("streams/:id") { _, context in
            let id = try context.parameters.require("id")
            _ = try await self.stream(id, for: context.principal)
            let job = try await self.queue.cancel(jobID: id)
            try await self.audit?.recordAudit(AuditEntry(actor: context.principal?.actor ?? "anonymous", action: "stream.remove", target: id))
            return JSONResponse(StreamView(job))
        }
    }

    private func stream(_ id: String, for principal: Principal?) async throws -> (job: Job, view: StreamView) {
        guard let job = try await queue.job(id: id), job.queue == StreamJob.queue, let view = StreamView(job) else {
            throw ServiceError(status: 404, error: "not found", detail: "no stream \(id)")
        }
        if let principal, let prefix = principal.prefix {
            throw ServiceError(status: 403, error: "forbidden",
                               detail: "key \(principal.actor) is bound to '\(prefix)' and may not see streams, which are under no prefix")
        }
        return (job, view)
    }

    /// Parses, then validates (the pipeline, the URL against the rules), then enqueues.
    private func add(_ request: Request, context: some AuthenticatedContext) async throws -> JSONResponse<StreamView> {
        let body = try await request.body.collect(upTo: 64 << 10)
        let submission: StreamRequest
        do { submission = try JSONDecoder().decode(StreamRequest.self, from: Data(buffer: body)) } catch {
            throw ServiceError(status: 400, error: "invalid request", detail: "body: expected JSON {url, pipeline, name?}")
        }
        guard submission.url.utf8.count <= StreamJob.maxURLLength, (submission.name?.count ?? 0) <= StreamJob.maxNameLength else {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "url: at most \(StreamJob.maxURLLength) bytes; name: at most \(StreamJob.maxNameLength) characters")
        }
        guard let pipeline = try? catalog.pipeline(named: submission.pipeline), pipeline.motion != nil else {
            let names = catalog.names.filter { (try? catalog.pipeline(named: $0).motion) != nil }
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "pipeline: expected a loaded pipeline with a motion: step (\(names.joined(separator: ", "))), not '\(submission.pipeline)'")
        }
        do { _ = try rules.check(submission.url) } catch { throw ServiceError.from(error) }
        let job = try await queue.enqueue(StreamJob(url: submission.url, pipeline: pipeline.name, name: submission.name).job(pipeline: pipeline))
        try await audit?.recordAudit(AuditEntry(actor: context.principal?.actor ?? "anonymous", action: "stream.add", target: job.id))
        context.logger.info("stream added", metadata: ["stream": "\(job.id)", "pipeline": "\(pipeline.name)"])
        return JSONResponse(StreamView(job)!, status: .created)
    }
}
