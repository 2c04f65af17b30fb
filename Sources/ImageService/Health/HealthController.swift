public import Hummingbird
public import ImageProcessing

/// `/health`, `/ready` and `/metrics`. None of them touches the pixel pool or waits on a
/// dependency, so they answer at once even when every pixel thread is busy.
///
/// `/health` is liveness: the process answers. `/ready` is whether it should get traffic: its
/// dependencies answered the ``ReadinessMonitor``'s last round, and its pixel queue has room.
public struct HealthController: Sendable {
    let pool: PixelPool
    let metrics: ServiceMetrics
    let exportMetrics: @Sendable () -> String
    let readiness: ReadinessMonitor?

    /// Creates the controller.
    ///
    /// - Parameters:
    ///   - exportMetrics: renders every metric in Prometheus' text format.
    ///   - readiness: the dependencies `/ready` reports on; nil reports on the pool alone.
    public init(pool: PixelPool, metrics: ServiceMetrics, exportMetrics: @escaping @Sendable () -> String,
                readiness: ReadinessMonitor? = nil) {
        self.pool = pool
        self.metrics = metrics
        self.exportMetrics = exportMetrics
        self.readiness = readiness
    }

    /// Adds the routes.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("ready") { request, context in
            if let status = readiness?.status, !status.isReady {
                return try JSONResponse(ReadinessResponse(status), status: .serviceUnavailable).response(from: request, context: context)
            }
            let load = pool.load
            let ready = load.queued < load.maxQueued
            return try JSONResponse(ReadinessResponse(status: ready ? "ready" : "saturated", failing: []),
                                    status: ready ? .ok : .serviceUnavailable).response(from: request, context: context)
        }
        router.get("metrics") { _, _ in
            metrics.record(pool.load)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: exportMetrics())))
        }
    }
}
