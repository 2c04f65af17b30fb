import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Synchronization
import Testing
import TestSupport

/// Traces across processes: `serve` and `worker` send spans over OTLP/HTTP to a receiver in
/// this test, and an upload's trace must run from the HTTP request in one process through the
/// job's claim, run, decode and encode in the other, to the webhook it sends.
@Suite("Traces across processes")
struct TracingTests {
    /// One span as the receiver decoded it.
    struct ReceivedSpan: Sendable, CustomStringConvertible {
        let traceID: String
        let spanID: String
        let parentID: String
        let name: String
        let service: String
        var description: String { "\(service):\(name) \(spanID)←\(parentID)" }
    }

    /// What the OTLP receiver and the webhook receiver got.
    final class Receiver: Sendable {
        let spans = Mutex<[ReceivedSpan]>([])
        /// The `traceparent` headers of each webhook delivery (a list per request).
        let hookTraceParents = Mutex<[[String]]>([])

        /// Adds the spans of one OTLP/HTTP JSON export.
        func add(export data: Data) throws {
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            var found: [ReceivedSpan] = []
            for resourceSpans in root["resourceSpans"] as? [[String: Any]] ?? [] {
                let attributes = (resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
                let service = attributes.first { $0["key"] as? String == "service.name" }
                    .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? "?"
                for scope in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        found.append(ReceivedSpan(traceID: Self.hex(span["traceId"]), spanID: Self.hex(span["spanId"]),
                                                  parentID: Self.hex(span["parentSpanId"]), name: span["name"] as? String ?? "",
                                                  service: service))
                    }
                }
            }
            spans.withLock { $0 += found }
        }

        /// An id as lower-case hex, whether the exporter wrote hex (as OTLP/JSON says) or base64.
        static func hex(_ value: Any?) -> String {
            guard let text = value as? String, !text.isEmpty else { return "" }
            if text.count % 2 == 0, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
            return Data(base64Encoded: text).map { $0.map { String(format: "%02x", $0) }.joined() } ?? text
        }
    }

    @Test("an upload's trace runs from serve's request through the worker's claim, run, decode and encode to the webhook")
    func uploadTrace() async throws {
        let receiver = Receiver()
        let router = Router()
        router.post("v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 32 << 20)
            try receiver.add(export: Data(buffer: body))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.post("hook") { request, _ -> Response in
            let parents = request.headers[values: .init("traceparent")!]
            receiver.hookTraceParents.withLock { $0.append(parents) }
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let address = "http://127.0.0.1:\(client.port!)"
            let site = try WorkerCommandTests.Site(pipeline: """
                name: p
                features: [dimensions]
                outputs: [{name: small, recipe: "rs:fit:64:64/f:webp", key: "out/{image_id}/{name}.{ext}"}]
                on_complete: {url: "\(address)/hook"}
                """)
            // JSON, so this test reads the exports without protobuf; spans leave every 100 ms.
            let environment = ["DARKROOM_OTLP_ENDPOINT": address, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json",
                               "OTEL_BSP_SCHEDULE_DELAY": "100"]
            let port = LocalPort.free()
            let serve = try await ServeCommandTests.start(["--port", String(port), "--no-worker", "--on-upload", "p",
                                                           "--pipelines", site.pipelines] + site.common,
                                                          environment: environment, port: port)
            defer { if serve.isRunning { serve.terminate() } }
            let worker = try site.worker([], environment: environment)
            defer { if worker.isRunning { worker.terminate() } }

            var upload = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/images")!)
            upload.httpMethod = "POST"
            upload.httpBody = try Fixtures.data("natural/rocket.jpg")
            let (body, response) = try await URLSession.shared.data(for: upload)
            #expect((response as? HTTPURLResponse)?.statusCode == 202, "\(String(decoding: body, as: UTF8.self))")

            // The whole story: the webhook's HTTP client span (AsyncHTTPClient's `POST`), and the
            // webhook job's run around it, which ends after it and may leave in a later batch.
            try await WorkerCommandTests.poll(90, explain: { "\(receiver.spans.withLock { $0 })\n\(site.logs())" }) {
                receiver.spans.withLock { spans in
                    spans.contains { $0.name == "POST" && $0.service == "darkroom-worker" }
                        && spans.filter { $0.name == "job.run" && $0.service == "darkroom-worker" }.count >= 2
                }
            }
            let spans = receiver.spans.withLock { $0 }
            let request = try #require(spans.first { $0.service == "darkroom-serve" && $0.parentID.isEmpty && $0.name.contains("/v1/images") },
                                       "no root span for the upload request in \(spans)")
            let trace = spans.filter { $0.traceID == request.traceID }
            let byID = Dictionary(trace.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
            /// The names of a span's ancestors, nearest first.
            func ancestors(_ span: ReceivedSpan) -> [String] {
                var names: [String] = []
                var current = span
                while let parent = byID[current.parentID] {
                    names.append("\(parent.service):\(parent.name)")
                    current = parent
                }
                return names
            }
            print("upload trace:", trace.map { "\($0.service):\($0.name) ← \(ancestors($0).first ?? "root")" }.sorted().joined(separator: "; "))
            let runs = trace.filter { $0.name == "job.run" }
            #expect(runs.count == 2 && runs.allSatisfy { $0.service == "darkroom-worker" }, "pipeline and webhook runs: \(trace)")
            // The pipeline's run hangs off serve's enqueue, the webhook's off the enqueue in that
            // run; both, through them, off the upload's request in the other process.
            #expect(Set(runs.compactMap { ancestors($0).first }) == ["darkroom-serve:queue.enqueue", "darkroom-worker:queue.enqueue"],
                    "\(runs.map(ancestors))")
            #expect(runs.allSatisfy { ancestors($0).last == "darkroom-serve:\(request.name)" }, "\(runs.map(ancestors))")
            let delivery = try #require(trace.first { $0.name == "POST" && $0.service == "darkroom-worker" }, "\(trace)")
            #expect(ancestors(delivery).first == "darkroom-worker:job.run" && ancestors(delivery).dropFirst().first == "darkroom-worker:queue.enqueue",
                    "the webhook's POST runs in the webhook job: \(ancestors(delivery))")
            for name in ["queue.claim", "source.fetch", "image.decode", "image.operation", "image.encode"] {
                let span = trace.first { $0.name == name && $0.service == "darkroom-worker" }
                #expect(span != nil && ancestors(span!).last == "darkroom-serve:\(request.name)", "\(name) in \(trace)")
            }
            #expect(trace.contains { $0.name == "queue.enqueue" && $0.service == "darkroom-serve" })
            // The receiver of the webhook can continue the same trace, from one header.
            let deliveries = receiver.hookTraceParents.withLock { $0 }
            #expect(deliveries.count == 1 && deliveries.allSatisfy { $0.count == 1 && $0[0].contains(request.traceID) },
                    "\(deliveries) vs \(request.traceID)")
            for process in [serve, worker] { kill(process.processIdentifier, SIGTERM) }
            for process in [serve, worker] { #expect(try await WorkerCommandTests.waitForExit(process) == 0) }
        }
    }
}
