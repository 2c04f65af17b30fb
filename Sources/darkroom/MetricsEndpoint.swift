import Hummingbird
import ImageService
import Logging
import Prometheus
import ServiceLifecycle

/// `/health`, `/ready` and Prometheus `/metrics` for processes that serve no images
/// (`darkroom worker`), so that queue depth and job outcomes can be scraped and autoscaled on,
/// and a worker whose queue or storage stopped answering shows it.
enum MetricsEndpoint {
    static func application(host: String, port: Int, registry: PrometheusCollectorRegistry, readiness: ReadinessMonitor,
                            logger: Logger) -> any Service {
        let router = Router()
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("ready") { request, context in
            let status = readiness.status
            return try JSONResponse(ReadinessResponse(status), status: status.isReady ? .ok : .serviceUnavailable)
                .response(from: request, context: context)
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "darkroom-worker"),
                           logger: logger)
    }
}
