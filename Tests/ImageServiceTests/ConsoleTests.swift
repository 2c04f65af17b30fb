import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageService
import JobQueue
import NIOCore
import ObjectStorage
import Pipelines
import Testing
import TestSupport
import NIOFoundationEssentialsCompat

@Suite("Console")
struct ConsoleTests {
    struct Setup {
        let harness: ServiceHarness
        let queue: MemoryJobQueue
        let store: MemoryObjectStore
    }

    static func setup(loopback: Bool = true, landing: Bool = true) throws -> Setup {
        let queue = MemoryJobQueue()
        let store = MemoryObjectStore()
        let web = try Pipeline(spec: "name: web\nversion: '1'\noutputs: [{name: t, recipe: 'rs:fit:32:32'}]", file: "web.yaml")
        var settings = ImageServiceSettings()
        settings.console = ConsoleSettings(landingPage: landing, loopbackOnly: loopback,
                                           about: ServerDescription(version: "9.9", engine: "libvips test", storage: "memory",
                                                                    queue: "memory", scheduler: "adaptive"),
                                           demoImages: ["rocket.jpg"])
        let harness = try ServiceHarness.make(settings: settings) { processor in
            V1API(queue: queue, catalog: PipelineCatalog([web]), store: store, processor: processor, onUpload: [], access: queue)
        }
        return Setup(harness: harness, queue: queue, store: store)
    }

    /// A request with the cookie jar's session; answers the status, the body and the headers.
    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil,
                     form: [String: String]? = nil) async throws -> (Int, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        var body = ByteBuffer()
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var components = URLComponents()
            components.queryItems = form.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            body = ByteBuffer(string: components.percentEncodedQuery ?? "")
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) {
            (Int($0.status.code), String(buffer: $0.body), $0.headers)
        }
    }

    /// The session cookie a response set, as a `Cookie` header value.
    static func session(from headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("darkroom_console=") }?.split(separator: ";").first.map(String.init)
    }

    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return String(page[range].split(separator: "\"")[3])
    }

    @Test("the landing page says what the server is and links live examples, IIIF and the console")
    func landing() async throws {
        try await Self.setup().harness.test { client in
            let (status, page, headers) = try await Self.call(client, .get, "/")
            #expect(status == 200 && headers[.contentType]?.hasPrefix("text/html") == true)
            for text in ["Darkroom 9.9", "libvips test", "/unsafe/rs:fit:320:240/plain/local:///demo/rocket.jpg",
                         "/iiif/3/demo%2Frocket.jpg/info.json", "action=\"/v1/images\"", "href=\"/console\""] {
                #expect(page.contains(text), "\(text)")
            }
            #expect(headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
        }
        try await Self.setup(landing: false).harness.test { client in
            let (status, _, _) = try await Self.call(client, .get, "/")
            #expect(status == 404, "--no-landing")
        }
    }

    @Test("with no key, the console opens on loopback only; with one, it needs a log-in")
    func access() async throws {
        try await Self.setup(loopback: false).harness.test { client in
            let (status, body, _) = try await Self.call(client, .get, "/console")
            #expect(status == 404 && body.contains("darkroom keys create"), "\(body)")
        }
        let setup = try Self.setup(loopback: false)
        let issued = APIKey.issue(name: "ops", scope: .admin)
        try await setup.queue.addKey(issued.key)
        try await setup.harness.test { client in
            let (redirect, _, headers) = try await Self.call(client, .get, "/console/queues")
            #expect(redirect == 303 && headers[.location] == "/console/login")
            let (wrong, page, _) = try await Self.call(client, .post, "/console/login", form: ["token": "drk_nope_nope"])
            #expect(wrong == 401 && page.contains("unknown API key"), "\(page)")
            let (loggedIn, _, set) = try await Self.call(client, .post, "/console/login", form: ["token": issued.token])
            let cookie = try #require(Self.session(from: set))
            let flags = set[values: .setCookie].first { $0.hasPrefix("darkroom_console=") } ?? ""
            #expect(loggedIn == 303 && flags.contains("HttpOnly") && flags.contains("SameSite=Strict") && !flags.contains("Secure"))
            for path in ["/console", "/console/queues", "/console/jobs", "/console/workers", "/console/images", "/console/playground",
                         "/console/pipelines", "/console/audit"] {
                let (status, page, _) = try await Self.call(client, .get, path, cookie: cookie)
                #expect(status == 200 && page.contains("\(issued.key.id) (admin)"), "\(path): \(status)")
            }
            let (_, audit, _) = try await Self.call(client, .get, "/console/audit", cookie: cookie)
            #expect(audit.contains("console.login"))
        }
    }

    @Test("actions need the session's CSRF token and an admin; they are audited")
    func actions() async throws {
        let setup = try Self.setup()
        let dead = try await setup.queue.enqueue(NewJob(queue: PipelineJob.queue, payload: Data("{}".utf8), maxAttempts: 1))
        let lease = try #require(try await setup.queue.claim(from: PipelineJob.queue, leaseFor: .seconds(30)))
        _ = try await setup.queue.fail(lease, error: "boom", permanent: true)
        try await setup.harness.test { client in
            let (_, page, headers) = try await Self.call(client, .get, "/console/jobs/\(dead.id)")
            let cookie = try #require(Self.session(from: headers))
            let token = try #require(Self.csrf(in: page))
            #expect(page.contains("id=\"retry\""), "a dead job offers a retry")
            let (refused, why, _) = try await Self.call(client, .post, "/console/jobs/\(dead.id)/retry", cookie: cookie, form: [:])
            #expect(refused == 403 && why.contains("csrf"), "\(why)")
            let (forged, _, _) = try await Self.call(client, .post, "/console/jobs/\(dead.id)/retry", cookie: cookie, form: ["csrf": "00"])
            #expect(forged == 403)
            #expect(try await setup.queue.job(id: dead.id)?.status == .dead)
            let (done, _, moved) = try await Self.call(client, .post, "/console/jobs/\(dead.id)/retry", cookie: cookie, form: ["csrf": token])
            #expect(done == 303 && moved[.location]?.hasPrefix("/console/jobs/\(dead.id)?flash=") == true)
            #expect(try await setup.queue.job(id: dead.id)?.status == .queued)
            #expect(try await setup.queue.auditEntries(limit: 1).first?.action == "job.retry")
        }
    }

    @Test("drain asks a live worker to stop claiming, from the console and the API, and is audited")
    func drain() async throws {
        let setup = try Self.setup()
        try await setup.queue.register(WorkerRecord(id: "w1", host: "node-a", pid: 1, version: "1", slots: 2))
        try await setup.queue.register(WorkerRecord(id: "w2", host: "node-b", pid: 2, version: "1", slots: 2))
        try await setup.harness.test { client in
            let (_, page, headers) = try await Self.call(client, .get, "/console/workers")
            let cookie = try #require(Self.session(from: headers))
            let token = try #require(Self.csrf(in: page))
            #expect(page.contains("action=\"/console/workers/w1/drain\""))
            let (status, _, _) = try await Self.call(client, .post, "/console/workers/w1/drain", cookie: cookie, form: ["csrf": token])
            #expect(status == 303)
            let (_, after, _) = try await Self.call(client, .get, "/console/workers", cookie: cookie)
            #expect(after.contains("drain requested") && !after.contains("action=\"/console/workers/w1/drain\""))
            let (api, _, _) = try await Self.call(client, .post, "/v1/workers/w2/drain")
            #expect(api == 202)
            let (missing, _, _) = try await Self.call(client, .post, "/v1/workers/nope/drain")
            #expect(missing == 404)
        }
        #expect(try await setup.queue.workers().allSatisfy { $0.drainRequested == true })
        #expect(try await setup.queue.auditEntries(limit: 5).map(\.action) == ["worker.drain", "worker.drain"])
    }

    @Test("a read key may look but not act")
    func readOnly() async throws {
        let setup = try Self.setup()
        let reader = APIKey.issue(name: "viewer", scope: .read)
        try await setup.queue.addKey(reader.key)
        try await setup.harness.test { client in
            let (_, _, set) = try await Self.call(client, .post, "/console/login", form: ["token": reader.token])
            let cookie = try #require(Self.session(from: set))
            let (_, page, _) = try await Self.call(client, .get, "/console/queues", cookie: cookie)
            #expect(!page.contains("Retry all dead"), "no action buttons for a reader")
            let token = try #require(Self.csrf(in: page))
            let (status, body, _) = try await Self.call(client, .post, "/console/queues/pipelines/purge", cookie: cookie, form: ["csrf": token])
            #expect(status == 403 && body.contains("admin"), "\(body)")
        }
    }

    @Test("names, keys, errors and pasted specs are rendered inert")
    func injection() async throws {
        let setup = try Self.setup()
        let hostile = "<script>alert(1)</script>"
        let payload = try JSONEncoder().encode(PipelineJob(pipeline: "web\(hostile)", version: "1", source: "originals/\(hostile).jpg"))
        let job = try await setup.queue.enqueue(NewJob(queue: PipelineJob.queue, payload: payload, maxAttempts: 1))
        let lease = try #require(try await setup.queue.claim(from: PipelineJob.queue, leaseFor: .seconds(30)))
        _ = try await setup.queue.fail(lease, error: "EXIF said \(hostile)", permanent: true)
        try await setup.harness.test { client in
            let (_, list, headers) = try await Self.call(client, .get, "/console/jobs?status=dead")
            let cookie = try #require(Self.session(from: headers))
            let (_, detail, _) = try await Self.call(client, .get, "/console/jobs/\(job.id)", cookie: cookie)
            let token = try #require(Self.csrf(in: detail))
            let (_, verdict, _) = try await Self.call(client, .post, "/console/pipelines/validate", cookie: cookie,
                                                      form: ["csrf": token, "spec": "name: \(hostile)\noutputs: []"])
            for page in [list, detail, verdict] {
                #expect(!page.contains(hostile) && page.contains("&lt;script&gt;"), "escaped")
            }
        }
    }
}
