import ArgumentParser
import Foundation
import Hummingbird
import ImageModel
import ImageProcessing
import ImageService
import JobQueue
import Pipelines
import Logging
import Metrics
import ObjectStorage
import Prometheus
import ServiceLifecycle
import Similarity
import UnixSignals
import Vips

/// `darkroom serve`: the on-the-fly image service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve images transformed on the fly, with imgproxy's URL API.",
        discussion: """
            Every setting can also come from a DARKROOM_* environment variable (DARKROOM_PORT,
            DARKROOM_LOCAL_ROOT, DARKROOM_KEY…) or from a JSON file given with --config, using
            the same names as the flags. Flags win over the environment, which wins over the
            file; `darkroom config` prints what they resolve to.

            Example:
              darkroom serve --port 8080 --local-root ./images
              curl 'http://127.0.0.1:8080/unsafe/rs:fill:300:200/plain/local:///photo.jpg'
            """)

    @OptionGroup var options: ServeOptions

    func validate() throws {
        do {
            let configuration = try options.resolvedConfiguration()
            _ = try configuration.serviceSettings()
            // Pipeline specs are checked before anything starts: a bad one is a usage error.
            _ = try PipelineRuntime.catalog(configuration)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() async throws {
        tuneAllocatorForService()
        let configuration = try options.resolvedConfiguration()
        let settings = try {
            var settings = try configuration.serviceSettings()
            settings.console = configuration.consoleSettings(version: Darkroom.version, engine: "libvips \(VipsRuntime.version)")
            return settings
        }()
        configuration.bootstrapLogging()
        let logger = Logger(label: "darkroom")
        let registry = PrometheusCollectorRegistry()
        let factory = {
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.valueHistogramBuckets = ServiceMetrics.histogramBuckets
            return factory
        }()
        MetricsSystem.bootstrap(factory)
        let tracing = try configuration.bootstrapTracing(service: "darkroom-serve")

        let pool = PixelPool(threads: configuration.jobs, maxQueued: configuration.maxQueue)
        let mark = configuration.watermark.flatMap { FileManager.default.contents(atPath: $0) }
        let processor = FaceDetectorLoader.processor(
            ImageProcessor(limits: configuration.limits, pool: pool, watermark: mark, autoQuality: configuration.autoQualityPolicy,
                           logger: logger),
            kind: configuration.faceDetector, folder: configuration.faceModels, logger: logger)
        let localRoot = configuration.resolvedLocalRoot
        try FileManager.default.createDirectory(atPath: localRoot, withIntermediateDirectories: true)
        let environment = ProcessInfo.processInfo.environment
        try await withHTTPClients { httpClient, s3Client in
            let sources = configuration.sourceRouter(s3Client: s3Client, environment: environment,
                                                     logger: logger)
            try await IndexOpener.withIndex(try SimilarityIndexLocation(configuration.resolvedIndex), startup: configuration.startupLimit, logger: logger,
                                            executor: .pool(processor.pool)) { index in
                let runtime = try PipelineRuntime(configuration: configuration, sources: sources, s3Client: s3Client,
                                                  index: index, models: try await PipelineRuntime.models(configuration, pool: pool),
                                                  environment: environment)
                let resultStore = try configuration.resultStore.map { location in
                    ResultStore(store: try ObjectStoreLocation(location).open(environment: environment, client: s3Client), logger: logger)
                }
                try await QueueOpener.withQueue(configuration.queue, startup: configuration.startupLimit, logger: logger) { queue in
                    // Nothing listens until the queue and storage answer: a load balancer never
                    // sees a node that cannot serve, and a misconfigured one exits saying why.
                    let readiness = configuration.readinessMonitor(queue: queue, store: runtime.store, index: runtime.index, logger: logger)
                    try await readiness.waitUntilReady(within: configuration.startupLimit)
                    let api = V1API(queue: queue, catalog: runtime.catalog, store: runtime.store, processor: processor,
                                    onUpload: configuration.onUpload, apiToken: configuration.apiToken,
                                    access: queue as? any AccessStore, rateLimit: configuration.apiRateLimit, index: runtime.index, sources: sources, models: runtime.models,
                                    dicomPatientData: configuration.dicomPatientData, streamRules: configuration.streamRules)
                    let dependencies = ImageServiceDependencies(
                        settings: settings, processor: processor, sources: sources,
                        cache: ResultCache(capacity: configuration.cacheSize),
                        resultStore: resultStore,
                        metrics: ServiceMetrics(factory: factory),
                        exportMetrics: { registry.emitToString() },
                        api: api, readiness: readiness, traced: tracing != nil)
                    var services: [any Service] = [runtime.models]
                    services += configuration.queueServices(queue, names: WireFormat.queues, logger: logger)
                    let workerID = UUID().uuidString.lowercased()
                    if !configuration.noWorker {
                        // The embedded worker shares the pixel pool: when renders fill it, jobs wait their turn.
                        services.append(runtime.worker(queue: queue, processor: processor, webhookClient: httpClient,
                                                       configuration: configuration, workerID: workerID, logger: logger))
                    }
                    // With SQLite, serve is the scheduler (workers in other processes pull when it is down).
                    if let scheduler = PipelineRuntime.scheduler(queue: queue, holder: workerID, configuration: configuration) {
                        services.append(scheduler)
                    }
                    let app = buildApplication(dependencies, host: configuration.bind, port: configuration.port,
                                               services: services, logger: logger)
                    logger.notice("darkroom serving", metadata: [
                        "address": "http://\(configuration.bind):\(configuration.port)",
                        "local_root": "\(localRoot)",
                        "storage": "\(configuration.storage)",
                        "queue": "\((try? JobQueueLocation(configuration.queue))?.description ?? configuration.queue)",
                        "pipelines": "\(runtime.catalog.names.joined(separator: ","))",
                        "worker": "\(configuration.noWorker ? "off" : "\(configuration.concurrency) slots")",
                        "scheduler": "\(configuration.noScheduler ? "off" : "candidate")",
                        "result_store": "\(configuration.resultStore ?? "none")",
                        "signatures": "\(settings.signer.isEnabled ? "required" : "off (unsafe accepted)")",
                    ])
                    var groupConfiguration = ServiceGroupConfiguration(
                        services: (tracing.map { [$0] } ?? []) + [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                    // In-flight requests get as long as one request may take, then are cancelled.
                    groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(Int(configuration.timeout * 1000))
                    groupConfiguration.maximumCancellationDuration = .seconds(5)
                    try await ServiceGroup(configuration: groupConfiguration).run()
                }
            }
        }
        logger.notice("darkroom stopped")
    }
}

/// Bounds the long-running server's heap further than ``Darkroom/main()`` does for every command.
///
/// glibc raises its mmap threshold up to 32 MB as large blocks are freed, so libvips' big
/// short-lived decode buffers stay in the heap and fragment it. A fixed 16 MB threshold (larger
/// blocks go back to the system on free), with two arenas, measured peak RSS 429 → ~250 MB on
/// plain load and 302–350 → 248–276 MB on the mixed one, for 5–10% of uncached throughput
/// (bench/server.py). Batch commands keep the dynamic threshold: there the fixed one cost 16 MiB
/// S3 gets a quarter of their speed in page faults (bench/storage.py).
private func tuneAllocatorForService() {
    #if canImport(Glibc)
    _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 16 << 20)
    #endif
}
