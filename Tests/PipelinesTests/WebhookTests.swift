import AsyncHTTPClient
import Foundation
import Hummingbird
import ImageProcessing
import HummingbirdTesting
import JobQueue
import ObjectStorage
import Synchronization
import Testing
import TestSupport
@testable import Pipelines

@Suite("Webhooks")
struct WebhookTests {
    /// What the local receiver saw.
    final class Receiver: Sendable {
        let deliveries = Mutex<[(body: String, timestamp: Int, signature: String)]>([])
        /// Answers 500 this many times first.
        let failures: Mutex<Int>
        init(failures: Int) { self.failures = Mutex(failures) }
    }

    func withReceiver(failures: Int, _ body: @Sendable (String, Receiver) async throws -> Void) async throws {
        let receiver = Receiver(failures: failures)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let failing = receiver.failures.withLock { count in
                defer { count -= 1 }
                return count > 0
            }
            if failing { return .internalServerError }
            receiver.deliveries.withLock {
                $0.append((String(buffer: bytes), Int(request.headers[.init("X-Darkroom-Timestamp")!] ?? "") ?? 0,
                           request.headers[.init("X-Darkroom-Signature")!] ?? ""))
            }
            return .noContent
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook", receiver)
        }
    }

    @Test("a completed job's result reaches the receiver signed; a failed delivery is retried after its back-off")
    func signedAndRetried() async throws {
        try await withReceiver(failures: 1) { url, receiver in
            let clock = ManualJobClock()
            let queue = MemoryJobQueue(clock: clock, backoff: RetryBackoff(base: .seconds(30), cap: .seconds(60)), random: { 0.5 })
            let store = MemoryObjectStore()
            let spec = """
                name: hooked
                features: [dimensions]
                on_complete: {url: "\(url)", secret_env: HOOK_SECRET}
                """
            let catalog = PipelineCatalog([try Pipeline(spec: spec, file: "hooked.yaml")])
            let runner = PipelineRunner(catalog: catalog, processor: ImageProcessorFixture.processor,
                                        sources: StoreSources(store: store), store: store)
            _ = try await store.put(try ObjectKey("a.jpg"), data: try Fixtures.data("natural/rocket.jpg"))
            let job = try await queue.enqueue(NewJob(queue: PipelineJob.queue, payload: PipelineJob(
                pipeline: "hooked", version: "1", source: "a.jpg").encoded(), batchID: "b"))

            let handler = PipelineJobHandler(runner: runner, catalog: catalog, queue: queue)
            let lease = try #require(try await queue.claim(from: PipelineJob.queue, leaseFor: .seconds(60)))
            _ = try await handler.handle(lease.job)
            _ = try await handler.handle(lease.job) // at-least-once: a second run queues no second delivery
            #expect(try await queue.stats(queue: WebhookDelivery.queue).depth == 1)

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let sender = WebhookHandler(client: http, environment: ["HOOK_SECRET": "s3cret"],
                                        now: { Date(timeIntervalSince1970: 1_800_000_000) })
            // First attempt: the receiver answers 500, so the queue backs off (30 s, jitter ½ → 15 s).
            let first = try #require(try await queue.claim(from: WebhookDelivery.queue, leaseFor: .seconds(60)))
            await #expect(throws: (any Error).self) { _ = try await sender.handle(first.job) }
            let retried = try await queue.fail(first, error: "500")
            #expect(retried.status == .queued && retried.runAt > clock.now())
            #expect(try await queue.claim(from: WebhookDelivery.queue, leaseFor: .seconds(60)) == nil)
            clock.advance(.seconds(31))
            let second = try #require(try await queue.claim(from: WebhookDelivery.queue, leaseFor: .seconds(60)))
            _ = try await sender.handle(second.job)
            try await http.shutdown()

            let delivery = try #require(receiver.deliveries.withLock { $0.first })
            #expect(receiver.deliveries.withLock { $0.count } == 1)
            #expect(delivery.timestamp == 1_800_000_000)
            let signer = WebhookSignature(secret: "s3cret")
            #expect(signer.verify(signature: delivery.signature, body: delivery.body, timestamp: delivery.timestamp))
            #expect(!WebhookSignature(secret: "other").verify(signature: delivery.signature, body: delivery.body,
                                                               timestamp: delivery.timestamp))
            let json = try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as! [String: Any]
            #expect(json["job_id"] as? String == job.id && json["event"] as? String == "job.completed")
            #expect((json["result"] as? [String: Any])?["pipeline"] as? String == "hooked")
        }
    }

    @Test("a missing secret is a permanent failure, not an unsigned POST")
    func missingSecret() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = WebhookHandler(client: http, environment: [:])
        let payload = try JSONEncoder().encode(WebhookDelivery(url: "http://127.0.0.1:9/x", secretEnv: "NOPE", body: "{}"))
        let job = Job(queue: WebhookDelivery.queue, payload: payload, runAt: Date(), now: Date())
        await #expect(throws: JobFailure.self) { _ = try await sender.handle(job) }
        try await http.shutdown()
    }
}

enum ImageProcessorFixture {
    static let processor = ImageProcessor(pool: PixelPool(threads: 2))
}
