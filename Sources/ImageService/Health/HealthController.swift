public import Hummingbird
public import ImageProcessing

/// `/health`, `/ready` and `/metrics`. None of them touches the pixel pool, so they answer
/// at once even when every pixel thread is busy.
public struct HealthController: Sendable {
    let pool: PixelPool
    let metrics: ServiceMetrics
    let exportMetrics: @Sendable () -> String

    /// Creates the controller.
    ///
    /// - Parameter exportMetrics: renders every metric in Prometheus' text format.
    public init(pool: PixelPool, metrics: ServiceMetrics, exportMetrics: @escaping @Sendable () -> String) {
        self.pool = pool
        self.metrics = metrics
        self.exportMetrics = exportMetrics
    }

    /// Adds the routes.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("ready") { _, _ in
            let load = pool.load
            let ready = load.queued < load.maxQueued
            return Response(status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: ready ? #"{"status":"ready"}"# : #"{"status":"saturated"}"#)))
        }
        router.get("metrics") { _, _ in
            metrics.record(pool.load)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: exportMetrics())))
        }
    }
}
