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

@Suite("Access control")
struct AccessControlTests {
    struct Setup {
        let harness: ServiceHarness
        let queue: MemoryJobQueue
        let store: MemoryObjectStore
    }

    static func setup(token: String? = nil, rate: Double = 0) throws -> Setup {
        let queue = MemoryJobQueue()
        let store = MemoryObjectStore()
        let web = try Pipeline(spec: "name: web\nversion: '1'\noutputs: [{name: t, recipe: 'rs:fit:32:32'}]", file: "web.yaml")
        let harness = try ServiceHarness.make { processor in
            V1API(queue: queue, catalog: PipelineCatalog([web]), store: store, processor: processor, onUpload: ["web"],
                  apiToken: token, access: queue, rateLimit: rate)
        }
        return Setup(harness: harness, queue: queue, store: store)
    }

    /// Issues a key straight into the store, as `darkroom keys create` does.
    static func key(_ queue: MemoryJobQueue, _ scope: APIScope, prefix: String? = nil, rate: Double? = nil) async throws -> (APIKey, String) {
        let issued = APIKey.issue(name: "test \(scope)", scope: scope, prefix: prefix, requestsPerSecond: rate)
        try await queue.addKey(issued.key)
        return issued
    }

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String? = nil,
                     body: Data = Data(), type: String = "application/json") async throws -> (Int, [String: Any], HTTPFields) {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(data: body)) {
            (Int($0.status.code), $0.json, $0.headers)
        }
    }

    static func submit(_ sources: [String]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["pipeline": "web", "sources": sources])
    }

    @Test("an open server closes when the first key is issued, and stays closed when it is revoked")
    func openUntilKeys() async throws {
        let setup = try Self.setup()
        try await setup.harness.test { client in
            #expect(try await Self.call(client, .get, "/v1/queues").0 == 200, "no token, no key: open")
            let (key, token) = try await Self.key(setup.queue, .read)
            // The openness answer is kept for a second.
            try await Task.sleep(for: .milliseconds(1100))
            let (closed, body, _) = try await Self.call(client, .get, "/v1/queues")
            #expect(closed == 401 && (body["detail"] as? String)?.contains("Bearer") == true, "\(body)")
            #expect(try await Self.call(client, .get, "/v1/queues", token: token).0 == 200)
            _ = try await setup.queue.revokeKey(id: key.id, at: Date())
            try await Task.sleep(for: .milliseconds(1100))
            let (revoked, why, _) = try await Self.call(client, .get, "/v1/queues", token: token)
            #expect(revoked == 401 && (why["detail"] as? String)?.contains("revoked") == true, "\(why)")
            #expect(try await Self.call(client, .get, "/v1/queues").0 == 401, "revoking the last key does not open the API")
        }
    }

    @Test("wrong, malformed and unknown keys get 401 with a reason; too small a scope gets 403")
    func badKeys() async throws {
        let setup = try Self.setup(token: "shared-secret")
        let (reader, readerToken) = try await Self.key(setup.queue, .read)
        try await setup.harness.test { client in
            for (token, reason) in [(nil, "Bearer"), ("nope", "not the API token"), ("drk_\(reader.id)_00", "wrong secret"),
                                    ("drk_ffffffffffff_00", "unknown"), ("shared-secre", "not the API token")] as [(String?, String)] {
                let (status, body, _) = try await Self.call(client, .get, "/v1/queues", token: token)
                #expect(status == 401 && (body["detail"] as? String)?.contains(reason) == true, "\(token ?? "none"): \(body)")
            }
            #expect(try await Self.call(client, .get, "/v1/queues", token: "shared-secret").0 == 200, "the API token is an admin")
            #expect(try await Self.call(client, .get, "/v1/queues", token: readerToken).0 == 200)
            let (status, body, _) = try await Self.call(client, .post, "/v1/jobs", token: readerToken, body: Self.submit(["a.jpg"]))
            #expect(status == 403 && (body["detail"] as? String)?.contains("needs submit") == true, "\(body)")
            let (audit, _, _) = try await Self.call(client, .get, "/v1/audit", token: readerToken)
            #expect(audit == 403, "the audit log is for admins")
        }
    }

    @Test("the scope each route needs")
    func scopes() {
        let cases: [(HTTPRequest.Method, String, APIScope)] = [
            (.get, "/v1/jobs/x", .read), (.get, "/v1/queues", .read), (.post, "/v1/search", .read),
            (.post, "/v1/jobs", .submit), (.post, "/v1/images", .submit), (.post, "/v1/models/m/predict", .submit),
            (.post, "/v1/jobs/x/cancel", .admin), (.post, "/v1/dead-letters/x/retry", .admin), (.get, "/v1/keys", .admin),
            (.get, "/v1/audit", .admin), (.post, "/v1/workers/w/drain", .admin),
            (.get, "/v1/streams", .read), (.post, "/v1/streams", .admin), (.delete, "/v1/streams/x", .admin),
        ]
        for (method, path, scope) in cases {
            #expect(APIKeyMiddleware<DarkroomRequestContext>.requiredScope(method: method, path: path) == scope, "\(method) \(path)")
        }
    }

    @Test("a key bound to a prefix uploads under it, names only sources under it, and sees only its jobs and no stream")
    func prefixes() async throws {
        let setup = try Self.setup()
        let (_, tenant) = try await Self.key(setup.queue, .submit, prefix: "tenant-a/")
        let (_, admin) = try await Self.key(setup.queue, .admin)
        let image = try Fixtures.data("natural/rocket.jpg")
        try await setup.harness.test { client in
            let (uploaded, body, _) = try await Self.call(client, .post, "/v1/images", token: tenant, body: image, type: "image/jpeg")
            #expect(uploaded == 202 && (body["key"] as? String)?.hasPrefix("tenant-a/originals/") == true, "\(body)")
            for source in ["tenant-b/x.jpg", "originals/x.jpg", "local:///etc/passwd", "s3://bucket/x.jpg"] {
                let (status, refused, _) = try await Self.call(client, .post, "/v1/jobs", token: tenant, body: Self.submit([source]))
                #expect(status == 403 && (refused["detail"] as? String)?.contains("tenant-a/") == true, "\(source): \(refused)")
            }
            let (accepted, mine, _) = try await Self.call(client, .post, "/v1/jobs", token: tenant, body: Self.submit(["tenant-a/x.jpg"]))
            #expect(accepted == 202, "\(mine)")
            let (_, theirs, _) = try await Self.call(client, .post, "/v1/jobs", token: admin, body: Self.submit(["tenant-b/y.jpg"]))
            let mineID = try #require((mine["job_ids"] as? [String])?.first)
            let theirID = try #require((theirs["job_ids"] as? [String])?.first)
            #expect(try await Self.call(client, .get, "/v1/jobs/\(mineID)", token: tenant).0 == 200)
            let (forbidden, why, _) = try await Self.call(client, .get, "/v1/jobs/\(theirID)", token: tenant)
            #expect(forbidden == 403 && (why["detail"] as? String)?.contains("tenant-a/") == true, "another prefix's job: \(why)")
            #expect(try await Self.call(client, .get, "/v1/jobs/\(theirID)", token: admin).0 == 200)

            // Streams are under no prefix: a bound key sees none of them, in the list or by id.
            let cam = try Pipeline(spec: "name: cam\nmotion: {every: 200ms}\n", file: "cam.yaml")
            let stream = try await setup.queue.enqueue(StreamJob(url: "udp://0.0.0.0:5000", pipeline: "cam", name: nil).job(pipeline: cam))
            let (_, all, _) = try await Self.call(client, .get, "/v1/streams", token: admin)
            #expect((all["streams"] as? [[String: Any]])?.count == 1, "\(all)")
            let (listed, none, _) = try await Self.call(client, .get, "/v1/streams", token: tenant)
            #expect(listed == 200 && (none["streams"] as? [[String: Any]])?.isEmpty == true, "\(none)")
            let (hidden, refusal, _) = try await Self.call(client, .get, "/v1/streams/\(stream.id)", token: tenant)
            #expect(hidden == 403 && (refusal["detail"] as? String)?.contains("tenant-a/") == true, "\(refusal)")
        }
    }

    @Test("a key past its rate gets 429 with Retry-After")
    func rateLimit() async throws {
        let setup = try Self.setup()
        // One request per 1,000 seconds: the bucket holds one, and refills long after this test.
        let (_, slow) = try await Self.key(setup.queue, .read, rate: 0.001)
        try await setup.harness.test { client in
            #expect(try await Self.call(client, .get, "/v1/queues", token: slow).0 == 200)
            let (status, body, headers) = try await Self.call(client, .get, "/v1/queues", token: slow)
            let wait = headers[.retryAfter].flatMap { Int($0) } ?? 0
            #expect(status == 429 && (900...1000).contains(wait) && (body["detail"] as? String)?.contains("limited") == true,
                    "\(status) \(wait) \(body)")
        }
    }

    @Test("admin actions are audited with the key that did them; keys are listed without secrets")
    func audit() async throws {
        let setup = try Self.setup()
        let (adminKey, admin) = try await Self.key(setup.queue, .admin)
        let job = try await setup.queue.enqueue(NewJob(queue: PipelineJob.queue, payload: Data("{}".utf8)))
        try await setup.harness.test { client in
            #expect(try await Self.call(client, .post, "/v1/jobs/\(job.id)/cancel", token: admin).0 == 200)
            let (status, body, _) = try await Self.call(client, .get, "/v1/audit", token: admin)
            let entries = try #require(body["entries"] as? [[String: Any]], "\(status) \(body)")
            #expect(entries.first?["action"] as? String == "job.cancel" && entries.first?["actor"] as? String == adminKey.id
                    && entries.first?["target"] as? String == job.id)
            let (_, keys, _) = try await Self.call(client, .get, "/v1/keys", token: admin)
            let listed = try #require(keys["keys"] as? [[String: Any]])
            #expect(listed.count == 1 && listed[0]["id"] as? String == adminKey.id && listed[0]["secret_hash"] == nil)
        }
    }
}
