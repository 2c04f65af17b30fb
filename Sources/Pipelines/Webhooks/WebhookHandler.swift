public import AsyncHTTPClient
public import Foundation
public import JobQueue
import NIOCore
import NIOHTTP1

/// Delivers the jobs of the `webhooks` queue. A non-2xx answer or a network error throws, so
/// the queue retries with back-off; a missing secret is permanent.
public struct WebhookHandler: JobHandler {
    let client: HTTPClient
    let environment: [String: String]
    let timeout: Duration
    let now: @Sendable () -> Date

    /// Creates a handler that reads secrets from `environment`.
    public init(client: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment,
                timeout: Duration = .seconds(10), now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.environment = environment
        self.timeout = timeout
        self.now = now
    }

    public func handle(_ job: Job) async throws -> Data? {
        let delivery: WebhookDelivery
        do { delivery = try JSONDecoder().decode(WebhookDelivery.self, from: job.payload) }
        catch { throw JobFailure.permanent("not a webhook delivery: \(error)") }

        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "darkroom-webhook")
        request.headers.add(name: "X-Darkroom-Delivery", value: job.id)
        let timestamp = Int(now().timeIntervalSince1970)
        if let name = delivery.secretEnv {
            guard let secret = environment[name], !secret.isEmpty else {
                throw JobFailure.permanent("the webhook secret variable \(name) is not set")
            }
            request.headers.add(name: WebhookSignature.timestampHeader, value: "\(timestamp)")
            request.headers.add(name: WebhookSignature.signatureHeader,
                                value: WebhookSignature(secret: secret).sign(body: delivery.body, timestamp: timestamp))
        }
        request.body = .bytes(ByteBuffer(string: delivery.body))
        // With a tracer bootstrapped, AsyncHTTPClient opens the client span (`POST`, under this
        // job's run) and sends its `traceparent`, so the receiver can join the upload's trace.
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        _ = try? await response.body.collect(upTo: 64 << 10)
        guard (200..<300).contains(response.status.code) else {
            throw WebhookError(status: Int(response.status.code), url: delivery.url)
        }
        return Data("{\"status\":\(response.status.code)}".utf8)
    }
}

/// The receiver did not accept the delivery; it will be retried.
struct WebhookError: Error, CustomStringConvertible {
    let status: Int
    let url: String
    var description: String { "webhook \(url) answered \(status)" }
}
