public import Hummingbird
public import HummingbirdCore
public import ImageProcessing
public import ImageSources
public import Logging
public import ServiceLifecycle

/// Everything the HTTP service is made of, built by the composition root.
public struct ImageServiceDependencies: Sendable {
    public let settings: ImageServiceSettings
    public let processor: ImageProcessor
    public let sources: SourceRouter
    public let cache: ResultCache
    public let resultStore: ResultStore?
    public let metrics: ServiceMetrics
    public let exportMetrics: @Sendable () -> String
    public let renders: RenderCounter
    /// Which clients went away, so their renders stop (see ``httpServer``).
    public let connections = ConnectionCloseWatch()
    /// The uploads and jobs API; nil serves images only.
    public let api: V1API?
    /// AVIF renders put off under load, made when the pool is idle (``DeferredRenderService``).
    public let deferred = DeferredRenders()
    /// One render for all identical requests in flight, routes and deferred renders alike.
    let coalescer = RenderCoalescer()
    /// The qualities `aq` chose, shared by every renderer (see ``Renderer``).
    let qualitySeeds = BoundedTable<Int>(capacity: 50_000)
    /// The last hour of the console's overview numbers.
    public let history: ConsoleHistory
    /// Whether the queue and storage answer, for `/ready`; nil reports on the pixel pool alone.
    public let readiness: ReadinessMonitor?
    /// Whether requests open spans (a tracer is bootstrapped). Off, the tracing middleware is
    /// not installed at all, so an untraced server pays nothing for it.
    public let traced: Bool

    /// Collects the dependencies.
    public init(settings: ImageServiceSettings, processor: ImageProcessor, sources: SourceRouter, cache: ResultCache,
                resultStore: ResultStore? = nil, metrics: ServiceMetrics, exportMetrics: @escaping @Sendable () -> String,
                renders: RenderCounter = RenderCounter(), api: V1API? = nil, readiness: ReadinessMonitor? = nil,
                traced: Bool = false) {
        self.traced = traced
        self.api = api
        self.readiness = readiness
        self.resultStore = resultStore
        self.settings = settings
        self.processor = processor
        self.sources = sources
        self.cache = cache
        self.metrics = metrics
        self.exportMetrics = exportMetrics
        self.renders = renders
        history = ConsoleHistory(tally: metrics.tally, pool: processor.pool, queue: api?.queue)
    }
}

/// Builds the router: health, readiness and metrics first, then the jobs API, then the image catch-all.
public func buildRouter(_ dependencies: ImageServiceDependencies, logger: Logger) -> Router<DarkroomRequestContext> {
    let router = Router(context: DarkroomRequestContext.self)
    // A server span per request (not the probes), continuing the caller's trace from its
    // `traceparent`; every span the request causes (fetch, decode, encode, enqueue) is its
    // child. Installed only when a tracer is bootstrapped (`--otlp-endpoint`).
    if dependencies.traced { router.middlewares.add(UntracedProbes()) }
    router.middlewares.add(RequestLogMiddleware(metrics: dependencies.metrics, logger: logger))
    HealthController(pool: dependencies.processor.pool, metrics: dependencies.metrics,
                     exportMetrics: dependencies.exportMetrics, readiness: dependencies.readiness).addRoutes(to: router)
    dependencies.api?.addRoutes(to: router, readiness: dependencies.readiness)
    if let api = dependencies.api {
        ConsoleController(settings: dependencies.settings, api: api, history: dependencies.history).addRoutes(to: router)
    } else if dependencies.settings.console.landingPage {
        LandingPage(settings: dependencies.settings).addRoutes(to: router)
    }
    let renderer = dependencies.makeRenderer()
    IIIFController(settings: dependencies.settings, processor: dependencies.processor, sources: dependencies.sources,
                   renderer: renderer).addRoutes(to: router)
    ImageController(settings: dependencies.settings, processor: dependencies.processor, sources: dependencies.sources,
                    renderer: renderer, metrics: dependencies.metrics)
        .addRoutes(to: router)
    return router
}

/// Builds the application: the HTTP server plus the pixel pool as a service, so that a
/// graceful shutdown stops accepting requests, lets those in flight finish, then stops the pool.
///
/// - Parameter services: further services that live as long as the server (an HTTP client, say).
public func buildApplication(_ dependencies: ImageServiceDependencies, host: String, port: Int,
                             services: [any Service] = [], logger: Logger) -> some ApplicationProtocol {
    Application(router: buildRouter(dependencies, logger: logger), server: dependencies.httpServer,
                configuration: .init(address: .hostname(host, port: port), serverName: "darkroom"),
                services: [PixelPoolService(pool: dependencies.processor.pool),
                           DeferredRenderService(dependencies: dependencies, logger: logger), dependencies.history]
                    + (dependencies.readiness.map { [$0] } ?? []) + services,
                logger: logger)
}

extension ImageServiceDependencies {
    /// The renderer the image and IIIF routes share, and the deferred renders use.
    func makeRenderer() -> Renderer {
        Renderer(processor: processor, cache: cache, resultStore: resultStore, coalescer: coalescer, metrics: metrics,
                 renders: renders, timeout: settings.timeout, cacheMaxAge: settings.cacheMaxAge, connections: connections,
                 qualitySeeds: qualitySeeds, deferred: settings.degradeAVIFAtQueue > 0 ? deferred : nil, degradeAtQueue: settings.degradeAVIFAtQueue)
    }

    /// HTTP/1.1 with a ``ClientCloseHandler`` on every connection, so a client that hangs up
    /// cancels its render.
    public var httpServer: HTTPServerBuilder {
        let connections = connections
        return .http1(configuration: .init(additionalChannelHandlers: [ClientCloseHandler(watch: connections)]))
    }
}
