public import ServiceLifecycle

/// Keeps the pixel pool running until the service group shuts down, then stops its threads.
public struct PixelPoolService: Service {
    let pool: PixelPool

    /// Wraps `pool`.
    public init(pool: PixelPool) { self.pool = pool }

    public func run() async throws {
        try? await gracefulShutdown()
        pool.shutdown()
    }
}
