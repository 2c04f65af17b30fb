public import ServiceLifecycle
import ImageProcessing
public import Logging

/// Makes the renders that were put off under load (``DeferredRenders``), one per pixel thread
/// at most, each started only while the pool has a free thread and nothing waiting, so that a
/// request never waits behind more than the renders already running. Each result goes to the in-memory cache and the result store, where
/// the next request for it finds it. Stops at graceful shutdown; what still waits is dropped
/// (the next request renders it).
public struct DeferredRenderService: Service {
    let deferred: DeferredRenders
    let renderer: Renderer
    let pool: PixelPool
    let logger: Logger

    /// Creates the service over the renderer the routes use.
    public init(dependencies: ImageServiceDependencies, logger: Logger) {
        deferred = dependencies.deferred
        renderer = dependencies.makeRenderer()
        pool = dependencies.processor.pool
        self.logger = logger
    }

    public func run() async throws {
        for await _ in deferred.additions.cancelOnGracefulShutdown() {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<pool.threadCount {
                    group.addTask { try await drain() }
                }
                try await group.waitForAll()
            }
        }
    }

    /// Renders what waits, one at a time, each once the pool is idle; returns when none waits.
    private func drain() async throws {
        while !Task.isShuttingDownGracefully {
            while !Self.isIdle(pool.load) {
                guard !Task.isShuttingDownGracefully else { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            guard let pending = deferred.next() else { return }
            do {
                try await renderer.renderDeferred(pending)
            } catch {
                logger.warning("deferred render failed", metadata: ["key": "\(pending.key)", "error": "\(error)"])
            }
            renderer.metrics.deferredRenders(deferred.count)
        }
    }

    /// A thread free and nobody waiting.
    static func isIdle(_ load: PixelPool.Load) -> Bool {
        load.queued == 0 && load.running < load.threads
    }
}
