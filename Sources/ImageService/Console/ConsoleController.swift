import Foundation
import HTTPTypes
public import Hummingbird
import ImageAnalysis
import ImageModel
import JobQueue
import NIOCore
import NIOFoundationEssentialsCompat
import ObjectStorage
import Pipelines
import Scheduling

/// The landing page (`/`) and the operator console (`/console`): server-rendered HTML over the
/// same queue, stores and keys as the API, with no script required to act.
///
/// * **Who may look.** With an `--api-token` or any API key, a key logs in to a session
///   cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind TLS). With neither, the console
///   opens without a log-in only when the server listens on loopback; otherwise it is off.
/// * **Who may act.** Retry, cancel and purge need an admin key; each form carries the
///   session's CSRF token, and a POST without it is refused with a 403. Actions are audited.
public struct ConsoleController: Sendable {
    let settings: ImageServiceSettings
    let api: V1API
    let history: ConsoleHistory
    let sessions = ConsoleSessions()
    /// Whether `/v1/search` exists, so the images page offers it.
    let hasSearch: Bool

    /// Creates the console over the API's queue, stores and keys.
    public init(settings: ImageServiceSettings, api: V1API, history: ConsoleHistory) {
        self.settings = settings
        self.api = api
        self.history = history
        hasSearch = api.search != nil
    }

    /// Adds `/` (when the landing page is on) and `/console…`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        if settings.console.landingPage { LandingPage(settings: settings).addRoutes(to: router) }
        router.get("console/static/console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("console/static/console.js") { _, _ in Self.asset(ConsoleAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("console/login") { _, _ in Self.html(ConsoleTemplates.render(ConsolePages.Login(error: nil), "login")) }
        router.post("console/login") { request, _ in try await self.logIn(request) }
        router.post("console/logout") { request, _ in
            let (session, _) = try await self.session(request)
            _ = try await self.form(request, session: session)
            self.sessions.end(id: session.id)
            return Self.redirect("/console/login", clearing: true)
        }
        page(router, "console") { request, session in ConsoleTemplates.render(try await self.overview(session, flash: Self.flash(request)), "overview") }
        router.get("console/live.json") { request, _ -> Response in
            _ = try await self.session(request)
            return Self.json(self.liveNumbers())
        }
        page(router, "console/queues") { request, session in
            ConsoleTemplates.render(try await self.queues(session, flash: Self.flash(request)), "queues")
        }
        act(router, "console/queues/:name/retry-dead") { _, context, session in
            let name = try context.parameters.require("name")
            var retried = 0
            for job in try await self.api.queue.deadLetters(queue: name, limit: 1000) {
                _ = try await self.api.queue.retry(deadJobID: job.id)
                retried += 1
            }
            try await self.audit("queue.retry-dead", target: name, detail: "\(retried) jobs", session)
            return ("/console/queues", "Retried \(retried) dead jobs in \(name).")
        }
        act(router, "console/queues/:name/purge") { _, context, session in
            let purged = try await self.api.queue.purge(finishedBefore: Date(), limit: 100_000)
            try await self.audit("queue.purge", target: try context.parameters.require("name"), detail: "\(purged) finished jobs", session)
            return ("/console/queues", "Purged \(purged) finished jobs.")
        }
        page(router, "console/jobs") { request, session in ConsoleTemplates.render(try await self.jobs(request, session), "jobs") }
        act(router, "console/jobs/bulk") { form, _, session in
            let ids = form.values("id"), action = form.value("action")
            var done = 0
            for id in ids {
                switch action {
                case "retry": if (try? await self.api.queue.retry(deadJobID: id)) != nil { done += 1 }
                case "cancel": if (try? await self.api.queue.cancel(jobID: id)) != nil { done += 1 }
                default: throw ServiceError(status: 400, error: "invalid request", detail: "action: expected retry or cancel")
                }
            }
            try await self.audit("job.\(action ?? "")", target: "\(ids.count) selected", detail: "\(done) done", session)
            return ("/console/jobs", "\(action == "retry" ? "Retried" : "Cancelled") \(done) of \(ids.count) selected jobs.")
        }
        page(router, "console/jobs/:id") { request, session in
            ConsoleTemplates.render(try await self.job(request.uri.path.split(separator: "/").last.map(String.init) ?? "", session,
                                                       flash: Self.flash(request)), "job")
        }
        act(router, "console/jobs/:id/retry") { _, context, session in
            let id = try context.parameters.require("id")
            _ = try await self.api.queue.retry(deadJobID: id)
            try await self.audit("job.retry", target: id, session)
            return ("/console/jobs/\(id)", "Job \(id) is queued again.")
        }
        act(router, "console/jobs/:id/cancel") { _, context, session in
            let id = try context.parameters.require("id")
            _ = try await self.api.queue.cancel(jobID: id)
            try await self.audit("job.cancel", target: id, session)
            return ("/console/jobs/\(id)", "Job \(id) is cancelled.")
        }
        page(router, "console/workers") { request, session in
            ConsoleTemplates.render(try await self.workers(session, flash: Self.flash(request)), "workers")
        }
        act(router, "console/workers/:id/drain") { _, context, session in
            let id = try context.parameters.require("id")
            guard try await self.api.operations.drain(id, by: session.principal.actor) else {
                throw ServiceError(status: 404, error: "not found", detail: "no live worker \(id)")
            }
            return ("/console/workers", "Worker \(id) drains: it finishes its jobs and claims no more.")
        }
        page(router, "console/images") { request, session in ConsoleTemplates.render(try await self.images(request, session), "images") }
        router.get("console/objects/**") { request, context -> Response in
            let (session, _) = try await self.session(request)
            let key = context.parameters.getCatchAll().map(String.init).joined(separator: "/")
            guard session.principal.allows(objectKey: key), let objectKey = try? ObjectKey(key) else {
                throw ServiceError(status: 404, error: "not found", detail: "no object \(key)")
            }
            let object = try await self.api.store.get(objectKey)
            return Response(status: .ok, headers: [.contentType: object.info.contentType, .cacheControl: "private, max-age=60",
                                                   HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(data: object.data)))
        }
        page(router, "console/playground") { request, session in ConsoleTemplates.render(self.playground(request, session), "playground") }
        page(router, "console/pipelines") { _, session in ConsoleTemplates.render(self.pipelines(session, spec: "", verdict: nil), "pipelines") }
        router.post("console/pipelines/validate") { request, _ -> Response in
            let (session, _) = try await self.session(request)
            let form = try await self.form(request, session: session)
            let spec = form.value("spec") ?? ""
            var verdict: (String, Bool)
            do throws(PipelineError) {
                let pipeline = try Pipeline(spec: spec, file: "pasted.yaml")
                verdict = ("Valid: pipeline \(pipeline.name), version \(pipeline.version), \(pipeline.outputs.count) outputs.", true)
            } catch {
                verdict = (error.description, false)
            }
            return Self.html(ConsoleTemplates.render(self.pipelines(session, spec: spec, verdict: verdict), "pipelines"))
        }
        page(router, "console/audit") { request, session in
            ConsoleTemplates.render(try await self.auditLog(session, flash: Self.flash(request)), "audit")
        }
    }

    // MARK: Access

    enum Mode { case off, open, logIn }

    /// Whether the console is off, open without a log-in, or behind one.
    func mode() async throws -> Mode {
        if try await api.verifier.isOpen() { return settings.console.loopbackOnly ? .open : .off }
        return .logIn
    }

    /// The request's session, or the answer that stands instead of the page: the log-in page,
    /// or a 404 saying why the console is off. An open console starts a session of its own.
    func session(_ request: Request) async throws -> (ConsoleSessions.Session, isNew: Bool) {
        let mode = try await mode()
        if let id = request.cookies[ConsoleSessions.cookieName]?.value, let session = sessions.session(id: id),
           mode == .open || session.principal != .anonymous {
            return (session, false)
        }
        switch mode {
        case .open: return (sessions.start(for: .anonymous), true)
        case .logIn: throw ConsoleRedirect(location: "/console/login")
        case .off:
            throw ServiceError(status: 404, error: "console off",
                               detail: "the console opens once an API key exists (darkroom keys create --name you --scope admin), or when the server listens on loopback only")
        }
    }

    private func logIn(_ request: Request) async throws -> Response {
        let form = try await ConsoleForm(request)
        let token = form.value("token") ?? ""
        do {
            let principal = try await api.verifier.principal(token: token)
            let session = sessions.start(for: principal)
            var response = Self.redirect("/console")
            response.setCookie(cookie(session.id, request: request))
            try await api.access?.recordAudit(AuditEntry(actor: principal.actor, action: "console.login", target: principal.actor))
            return response
        } catch let error as ServiceError {
            return Self.html(ConsoleTemplates.render(ConsolePages.Login(error: error.detail), "login"), status: .unauthorized)
        }
    }

    /// The session cookie: `HttpOnly`, `SameSite=Strict`, and `Secure` when the request came
    /// through TLS (a proxy says so with `X-Forwarded-Proto: https`).
    private func cookie(_ id: String, request: Request) -> Cookie {
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" || request.uri.scheme == .https
        return Cookie(name: ConsoleSessions.cookieName, value: id, maxAge: Int(ConsoleSessions.lifetime), path: "/",
                      secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// A POST's form, after checking its CSRF token against the session's.
    private func form(_ request: Request, session: ConsoleSessions.Session) async throws -> ConsoleForm {
        let form = try await ConsoleForm(request)
        guard let token = form.value("csrf"), APIKey.constantTimeEqual(token, session.csrf) else {
            throw ServiceError(status: 403, error: "forbidden", detail: "csrf: expected the form's token; reload the page and try again")
        }
        return form
    }

    /// A GET page: the session (or the log-in page), then the HTML.
    private func page<Context: RequestContext>(_ router: Router<Context>, _ path: RouterPath,
                                               _ render: @escaping @Sendable (Request, ConsoleSessions.Session) async throws -> String) {
        router.get(path) { request, _ -> Response in
            do {
                let (session, isNew) = try await self.session(request)
                var response = Self.html(try await render(request, session))
                if isNew { response.setCookie(self.cookie(session.id, request: request)) }
                return response
            } catch let redirect as ConsoleRedirect {
                return Self.redirect(redirect.location)
            }
        }
    }

    /// An action: an admin session, a valid CSRF token, then the work; answers with a
    /// redirect to the page it names, carrying its message.
    private func act<Context: RequestContext>(
        _ router: Router<Context>, _ path: RouterPath,
        _ work: @escaping @Sendable (ConsoleForm, Context, ConsoleSessions.Session) async throws -> (String, String)
    ) {
        router.post(path) { request, context -> Response in
            let (session, _) = try await self.session(request)
            let form = try await self.form(request, session: session)
            guard session.principal.scope.grants(.admin) else {
                throw ServiceError(status: 403, error: "forbidden",
                                   detail: "key \(session.principal.actor) has scope \(session.principal.scope.rawValue); console actions need admin")
            }
            let (page, message) = try await work(form, context, session)
            var components = URLComponents()
            components.path = page
            components.queryItems = [URLQueryItem(name: "flash", value: message)]
            return Self.redirect(components.string ?? page)
        }
    }

    private func audit(_ action: String, target: String, detail: String? = nil, _ session: ConsoleSessions.Session) async throws {
        try await api.access?.recordAudit(AuditEntry(actor: session.principal.actor, action: action, target: target, detail: detail))
    }

    // MARK: Pages

    private func overview(_ session: ConsoleSessions.Session, flash: String?) async throws -> ConsolePages.Overview {
        let samples = history.samples
        var charts = [SVGChart(title: "requests/s", values: samples.map(\.requestsPerSecond)),
                      SVGChart(title: "p99 latency (ms)", values: samples.map(\.p99)),
                      SVGChart(title: "jobs/s", values: samples.map(\.jobsPerSecond)),
                      SVGChart(title: "pool saturation", values: samples.map(\.poolSaturation))]
        for name in WireFormat.queues {
            charts.append(SVGChart(title: "\(name): depth", values: samples.map { $0.queues[name].map { Double($0.depth) } }))
            charts.append(SVGChart(title: "\(name): oldest (s)", values: samples.map { $0.queues[name]?.oldestAge }))
        }
        let live = liveNumbers()
        return ConsolePages.Overview(
            frame: .init(session: session, flash: flash),
            latest: .init(requests: live.requestsPerSecond, jobs: live.jobsPerSecond, p50: live.p50Ms ?? "–", p99: live.p99Ms ?? "–",
                          cache: live.cacheHitRatio ?? "–", pool: live.poolSaturation),
            charts: charts.map(ConsolePages.Chart.init))
    }

    /// The overview's numbers as the page polls them.
    struct LiveNumbers: Encodable {
        let requestsPerSecond: String
        let jobsPerSecond: String
        let p50Ms: String?
        let p99Ms: String?
        let cacheHitRatio: String?
        let poolSaturation: String

        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_second", jobsPerSecond = "jobs_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms"
            case cacheHitRatio = "cache_hit_ratio", poolSaturation = "pool_saturation"
        }
    }

    func liveNumbers() -> LiveNumbers {
        let latest = history.samples.last
        func number(_ value: Double?, _ digits: Int = 1) -> String? { value.map { String(format: "%.\(digits)f", $0) } }
        return LiveNumbers(requestsPerSecond: number(latest?.requestsPerSecond ?? 0)!, jobsPerSecond: number(latest?.jobsPerSecond ?? 0, 2)!,
                           p50Ms: number(latest?.p50), p99Ms: number(latest?.p99),
                           cacheHitRatio: latest?.cacheHitRatio.map { String(format: "%.0f%%", $0 * 100) },
                           poolSaturation: number(latest?.poolSaturation ?? 0, 2)!)
    }

    private func queues(_ session: ConsoleSessions.Session, flash: String?) async throws -> ConsolePages.Queues {
        .init(frame: .init(session: session, flash: flash), queues: try await queueRows(workers: try await api.queue.workers()))
    }

    /// Each queue's numbers, as the queues page lists them and the workers page's scaling table.
    private func queueRows(workers: [WorkerRecord]) async throws -> [ConsolePages.QueueRow] {
        let live = workers.filter(\.alive)
        var rows: [ConsolePages.QueueRow] = []
        for name in WireFormat.queues {
            let stats = try await api.queue.stats(queue: name)
            rows.append(.init(name: name, depth: stats.depth, inFlight: stats.inFlight, dead: stats.dead,
                              oldest: String(format: "%.1f", stats.oldestAge),
                              unschedulable: try await api.queue.unschedulableJobs(queue: name, liveWorkers: live),
                              desired: ScalingSignal(queue: name, stats: stats, workers: workers).desiredWorkers))
        }
        return rows
    }

    private func jobs(_ request: Request, _ session: ConsoleSessions.Session) async throws -> ConsolePages.Jobs {
        let query = request.uri.queryParameters
        let queue = query.get("queue").flatMap { WireFormat.queues.contains($0) ? $0 : nil } ?? PipelineJob.queue
        let status = query.get("status").flatMap { JobStatus(rawValue: $0) }
        let pipeline = query.get("pipeline") ?? "", batch = query.get("batch") ?? ""
        let listed = try await api.queue.list(queue: queue, status: status, limit: 500)
        let rows = listed.filter { job in
            (batch.isEmpty || job.batchID == batch) && JobsController.isVisible(job, to: session.principal)
        }.map(ConsolePages.JobRow.init).filter { pipeline.isEmpty || $0.pipeline == pipeline }
        var progress: ConsolePages.Progress?
        if !batch.isEmpty {
            let counts = try await api.queue.batch(id: batch)
            progress = .init(id: batch, total: counts.total, finished: counts.finished,
                             summary: counts.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
                                .joined(separator: ", "))
        }
        return .init(frame: .init(session: session, flash: Self.flash(request)),
                     queueChoices: WireFormat.queues.map { .init(value: $0, label: $0, selected: $0 == queue) },
                     statusChoices: [ConsolePages.Choice(value: "", label: "any", selected: status == nil)]
                        + JobStatus.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, selected: $0 == status) },
                     pipeline: pipeline, batch: batch, progress: progress, jobs: rows)
    }

    private func job(_ id: String, _ session: ConsoleSessions.Session, flash: String?) async throws -> ConsolePages.JobPage {
        guard let job = try await api.queue.job(id: id), JobsController.isVisible(job, to: session.principal) else {
            throw ServiceError(status: 404, error: "not found", detail: "no job \(id)")
        }
        let payload = try? JSONDecoder().decode(PipelineJob.self, from: job.payload)
        let result = job.result.flatMap { try? JSONDecoder().decode(PipelineResult.self, from: $0) }
        let source = payload?.source ?? ""
        let sourceImage: String? = source.isEmpty ? nil
            : RoutedPipelineSources.isURL(source) ? settings.signer.url(for: "/rs:fit:480:480/plain/\(source)") : Self.objectURL(source)
        let deliveries = try await api.queue.list(queue: WebhookDelivery.queue, status: nil, limit: 1000)
            .filter { $0.idempotencyKey == "webhook:\(job.id)" }
            .map { ConsolePages.Delivery(status: $0.status.rawValue, attempts: $0.attempts, error: $0.lastError) }
        return .init(
            frame: .init(session: session, flash: flash),
            job: .init(id: job.id, queue: job.queue, status: job.status.rawValue, batch: job.batchID, attempts: job.attempts,
                       maxAttempts: job.maxAttempts, created: WireFormat.timestamp(job.createdAt), updated: WireFormat.timestamp(job.updatedAt),
                       runAt: WireFormat.timestamp(job.runAt), claimedBy: job.claimedBy ?? "", error: job.lastError),
            pipeline: payload?.pipeline ?? "", source: source, sourceImage: sourceImage,
            outputs: (result?.outputs ?? []).map { .init(name: $0.name, url: Self.objectURL($0.key), width: $0.width, height: $0.height,
                                                         format: $0.format, bytes: $0.bytes) },
            checks: (result?.checks ?? []).map { check in
                "\(check.rule) \(check.passed ? "passed" : "failed"): \(check.value.map { String(format: "%.3g", $0) } ?? "unmeasured") against \(String(format: "%.3g", check.threshold))"
            },
            hasChecks: !(result?.checks ?? []).isEmpty,
            webhooks: deliveries,
            result: Self.pretty(job.result), payload: Self.pretty(job.payload),
            isDead: job.status == .dead, isOpen: !job.status.isFinal)
    }

    private func workers(_ session: ConsoleSessions.Session, flash: String?) async throws -> ConsolePages.Workers {
        let workers = try await api.queue.workers()
        let scaling = try await queueRows(workers: workers)
        let rows = workers.map { worker in
            ConsolePages.WorkerRow(
                id: worker.id, host: worker.host,
                state: !worker.alive ? "dead" : worker.load.draining == true ? "draining"
                    : worker.drainRequested == true ? "drain requested" : "live",
                canDrain: worker.alive && worker.load.draining != true && worker.drainRequested != true,
                inFlight: worker.load.inFlight, slots: worker.slots,
                cpu: worker.load.cpuUtilisation.map { String(format: "%.0f%% CPU", $0 * 100) } ?? "–",
                speed: worker.load.speed.map { String(format: "%.2f MP/s", $0) } ?? "–",
                gpus: (worker.load.gpus ?? worker.gpus).map { gpu in
                    .init(index: gpu.index, model: gpu.model,
                          memory: "\(gpu.memoryUsedMB.map { "\($0)/" } ?? "")\(gpu.memoryMB) MB\(gpu.utilisation.map { String(format: ", %.0f%%", $0 * 100) } ?? "")")
                },
                labels: worker.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                lastSeen: WireFormat.timestamp(worker.lastSeen))
        }
        return .init(frame: .init(session: session, flash: flash), leader: try await api.queue.leader()?.holder,
                     strategy: settings.console.about.scheduler, workers: rows, scaling: scaling)
    }

    private func images(_ request: Request, _ session: ConsoleSessions.Session) async throws -> ConsolePages.Images {
        let query = request.uri.queryParameters
        var prefix = query.get("prefix") ?? ""
        // A key bound to a prefix browses only under it.
        if let bound = session.principal.prefix, !prefix.hasPrefix(bound) { prefix = bound }
        let listing = try await api.store.list(prefix: prefix, continuation: query.get("after"), limit: 60)
        return .init(frame: .init(session: session), prefix: prefix,
                     objects: listing.objects.map { .init(key: $0.key.rawValue, url: Self.objectURL($0.key.rawValue), size: $0.size) },
                     next: listing.continuation, search: hasSearch)
    }

    private func playground(_ request: Request, _ session: ConsoleSessions.Session) -> ConsolePages.Playground {
        let query = request.uri.queryParameters
        let source = query.get("source") ?? settings.console.demoImages.first.map { "local:///demo/\($0)" } ?? ""
        let options = query.get("options") ?? "rs:fit:400:300/f:webp"
        var url: String?, problem: String?
        if !source.isEmpty {
            do throws(RecipeError) {
                // Parsed first, so a bad option is named here rather than as a broken image.
                _ = try Recipe(parsing: options, presets: settings.presets)
                url = settings.signer.url(for: "/\(options)/plain/\(source)")
            } catch {
                problem = error.description
            }
        }
        return .init(frame: .init(session: session), source: source, options: options, url: url, error: problem)
    }

    private func pipelines(_ session: ConsoleSessions.Session, spec: String, verdict: (String, Bool)?) -> ConsolePages.Pipelines {
        let rows = api.catalog.names.compactMap { try? api.catalog.pipeline(named: $0) }.map { pipeline in
            ConsolePages.PipelineRow(name: pipeline.name, version: pipeline.version,
                                     features: pipeline.features.map(\.rawValue).sorted().joined(separator: ", "),
                                     outputs: pipeline.outputs.map(\.name).joined(separator: ", "),
                                     checks: pipeline.checks.count, models: pipeline.models.joined(separator: ", "))
        }
        return .init(frame: .init(session: session), pipelines: rows, spec: spec, verdict: verdict?.0,
                     verdictClass: verdict?.1 == true ? "flash" : "error")
    }

    private func auditLog(_ session: ConsoleSessions.Session, flash: String?) async throws -> ConsolePages.Audit {
        let entries = try await api.access?.auditEntries(limit: 200) ?? []
        return .init(frame: .init(session: session, flash: flash),
                     entries: entries.map { .init(at: WireFormat.timestamp($0.at), actor: $0.actor, action: $0.action,
                                                  target: $0.target, detail: $0.detail ?? "") })
    }

    // MARK: Answers

    /// The message an action left for the page it redirected to.
    static func flash(_ request: Request) -> String? {
        request.uri.queryParameters.get("flash").map { String($0.prefix(300)) }
    }

    static func objectURL(_ key: String) -> String {
        "/console/objects/" + key.split(separator: "/", omittingEmptySubsequences: false).map { escapeSegment(String($0)) }
            .joined(separator: "/")
    }

    static func escapeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func pretty(_ data: Data?) -> String {
        guard let data, let object = try? JSONSerialization.jsonObject(with: data),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else {
            return data.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// The headers every console page carries: its own scripts and styles only, never framed.
    static var pageHeaders: HTTPFields {
        [.contentType: "text/html; charset=utf-8",
         HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'",
         HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
         .cacheControl: "no-store"]
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: pageHeaders, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable) -> Response {
        let data = (try? WireFormat.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static func redirect(_ location: String, clearing: Bool = false) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if clearing {
            response.setCookie(Cookie(name: ConsoleSessions.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }
}

/// Thrown where a console page must send the browser elsewhere (to log in).
struct ConsoleRedirect: Error {
    let location: String
}
