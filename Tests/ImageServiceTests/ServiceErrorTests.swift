import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inference
@testable import ImageService
import Logging
import Prometheus
import Testing
import NIOFoundationEssentialsCompat

/// The service's one error answer, whether a handler returns it or throws it.
@Suite("Service errors")
struct ServiceErrorTests {
    @Test("a thrown ServiceError is answered by Hummingbird as the same JSON, status and Retry-After")
    func thrown() async throws {
        let router = Router()
        router.get("busy") { _, _ -> Response in
            throw ServiceError(status: 503, error: "unavailable", detail: "try /later", retryAfter: 2)
        }
        let returned = ServiceError(status: 503, error: "unavailable", detail: "try /later", retryAfter: 2).response
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/busy", method: .get) { response in
                #expect(response.status.code == 503)
                #expect(response.headers[.retryAfter] == "2")
                #expect(response.headers[.contentType] == "application/json")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                #expect(body == ["error": "unavailable", "detail": "try /later"])
                #expect(response.status == returned.status)
            }
        }
    }
}

extension ServiceErrorTests {
    @Test("a model's errors map to their statuses: a pass past timeout_ms 504, an unusable image 422, an unknown model 404")
    func inferenceErrors() {
        #expect(ServiceError.from(InferenceError.timedOut(model: "m", milliseconds: 5)).code == 504)
        #expect(ServiceError.from(InferenceError.unusableImage("grey")).code == 422)
        #expect(ServiceError.from(InferenceError.unknownModel("m")).code == 404)
        #expect(ServiceError.from(InferenceError.inferenceFailed(model: "m", problem: "x")).code == 500)
    }
}

@Suite("Request context")
struct RequestContextTests {
    @Test("the request log middleware puts the request id on the context's logger and in X-Request-ID")
    func requestID() async throws {
        let router = Router()
        router.add(middleware: RequestLogMiddleware(metrics: ServiceMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())), logger: Logger(label: "test")))
        router.get("id") { _, context -> String in
            context.logger[metadataKey: "request_id"].map { "\($0)" } ?? "none"
        }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/id", method: .get, headers: [HTTPField.Name("X-Request-ID")!: "abc-123"]) { response in
                #expect(String(buffer: response.body) == "abc-123")
                #expect(response.headers[HTTPField.Name("X-Request-ID")!] == "abc-123")
            }
        }
    }
}
