import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `/health` and Prometheus `/metrics` for processes that serve no images (`darkroom worker`),
/// so that queue depth and job outcomes can be scraped and autoscaled on.
enum MetricsEndpoint {
    static func application(host: String, port: Int, registry: PrometheusCollectorRegistry,
                            logger: Logger) -> any Service {
        let router = Router()
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "darkroom-worker"),
                           logger: logger)
    }
}
