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
import UnixSignals

/// `darkroom serve`: the on-the-fly image service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve images transformed on the fly, with imgproxy's URL API.",
        discussion: """
            Every setting can also come from a DARKROOM_* environment variable (DARKROOM_PORT,
            DARKROOM_LOCAL_ROOT, DARKROOM_KEY…) or from a JSON file given with --config, using
            the same names. Flags win over the environment, which wins over the file.

            Settings:
            \(ServeConfiguration.settings.map { "  \($0.name): \($0.help)" }.joined(separator: "\n"))

            Example:
              darkroom serve --port 8080 --local-root ./images
              curl 'http://127.0.0.1:8080/unsafe/rs:fill:300:200/plain/local:///photo.jpg'
            """)

    @Option(help: "A JSON file of settings.") var config: String?
    @Option(help: "TCP port.") var port: Int?
    @Option(help: "Address to listen on.") var bind: String?
    @Option(help: "The object store: file:PATH or s3://bucket/prefix?endpoint=….") var storage: String?
    @Option(help: "Folder that local:/// sources resolve under.") var localRoot: String?
    @Option(help: "Object store for rendered results, shared by every node.") var resultStore: String?
    @Flag(help: "Accept 'unsafe' even when keys are configured.") var allowUnsafe = false
    @Option(help: "Hex HMAC key (repeat for rotation).") var key: [String] = []
    @Option(help: "Hex salt, paired with --key in order.") var salt: [String] = []
    @Option(help: "Largest source in pixels.") var maxSrcPixels: Int?
    @Option(help: "Largest source in bytes.") var maxSrcBytes: Int?
    @Option(help: "Longest side of a result.") var maxOutputSide: Int?
    @Option(help: "Most frames in a source.") var maxFrames: Int?
    @Option(help: "Result cache size in bytes.") var cacheSize: Int?
    @Option(help: "Cache-Control max-age in seconds.") var cacheMaxAge: Int?
    @Option(help: "A preset as name=options (repeatable).") var preset: [String] = []
    @Flag(help: "Refuse URLs whose options are not presets.") var presetsOnly = false
    @Option(help: "Formats offered for auto, best first.") var formats: String?
    @Option(help: "Seconds before a request is answered 504.") var timeout: Double?
    @Option(name: .shortAndLong, help: "Pixel threads.") var jobs: Int?
    @Option(help: "Renders that may wait before 429.") var maxQueue: Int?
    @Option(help: "Image file that the wm option draws.") var watermark: String?
    @Option(help: "Log level.") var logLevel: String?
    @Option(help: "Allowed http(s) source prefixes, comma-separated.") var allowedSources: String?
    @Flag(help: "Let http(s) sources reach internal addresses.") var allowInternalSources = false
    @Option(help: "Redirects followed for http(s) sources.") var maxRedirects: Int?
    @Option(help: "Seconds an http(s) download may take.") var sourceTimeout: Double?
    @Option(help: "What IIIF identifiers are appended to (local:///, s3://bucket/prefix/).") var iiifSourcePrefix: String?
    @Option(help: "Public base URL for IIIF ids.") var publicURL: String?
    @Option(help: "The job queue: sqlite:PATH or postgres://user:password@host:port/db.") var queue: String?
    @Option(help: "Folder of pipeline specs (*.yaml, *.json).") var pipelines: String?
    @Option(help: "Pipelines POST /v1/images runs, comma-separated.") var onUpload: String?
    @Flag(help: "Do not run jobs in this process.") var noWorker = false
    @Option(help: "Jobs the embedded worker runs at once.") var concurrency: Int?
    @Option(help: "Require Authorization: Bearer TOKEN on /v1.") var apiToken: String?
    @OptionGroup var scheduling: SchedulingOptions

    /// The configuration from defaults, the file, the environment and the flags, in that order.
    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServeConfiguration {
        var result = ServeConfiguration()
        if let config { try result.apply(file: config) }
        try result.apply(environment: environment)
        var flags: [(String, String?)] = [
            ("port", port.map(String.init)), ("bind", bind), ("storage", storage), ("local-root", localRoot),
            ("result-store", resultStore),
            ("max-src-pixels", maxSrcPixels.map(String.init)), ("max-src-bytes", maxSrcBytes.map(String.init)),
            ("max-output-side", maxOutputSide.map(String.init)), ("max-frames", maxFrames.map(String.init)),
            ("cache-size", cacheSize.map(String.init)), ("cache-max-age", cacheMaxAge.map(String.init)),
            ("formats", formats), ("timeout", timeout.map { String($0) }), ("jobs", jobs.map(String.init)),
            ("max-queue", maxQueue.map(String.init)), ("watermark", watermark), ("log-level", logLevel),
            ("allowed-sources", allowedSources), ("max-redirects", maxRedirects.map(String.init)),
            ("source-timeout", sourceTimeout.map { String($0) }),
            ("iiif-source-prefix", iiifSourcePrefix), ("public-url", publicURL),
            ("queue", queue), ("pipelines", pipelines), ("on-upload", onUpload),
            ("concurrency", concurrency.map(String.init)), ("api-token", apiToken),
        ] + scheduling.settings
        if noWorker { flags.append(("no-worker", "true")) }
        if allowInternalSources { flags.append(("allow-internal-sources", "true")) }
        if allowUnsafe { flags.append(("allow-unsafe", "true")) }
        if presetsOnly { flags.append(("presets-only", "true")) }
        if !key.isEmpty { result.keys = []; result.salts = [] }
        flags += key.map { ("key", $0) } + salt.map { ("salt", $0) } + preset.map { ("preset", $0) }
        for case let (name, value?) in flags { try result.set(name, value) }
        return result
    }

    func validate() throws {
        do {
            let configuration = try resolvedConfiguration()
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
        let configuration = try resolvedConfiguration()
        let settings = try configuration.serviceSettings()
        configuration.bootstrapLogging()
        let logger = Logger(label: "darkroom")
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        MetricsSystem.bootstrap(factory)

        let pool = PixelPool(threads: configuration.jobs, maxQueued: configuration.maxQueue)
        let mark = configuration.watermark.flatMap { FileManager.default.contents(atPath: $0) }
        let processor = ImageProcessor(limits: configuration.limits, pool: pool, watermark: mark, logger: logger)
        let localRoot = configuration.resolvedLocalRoot
        try FileManager.default.createDirectory(atPath: localRoot, withIntermediateDirectories: true)
        let environment = ProcessInfo.processInfo.environment
        try await withHTTPClients { httpClient, s3Client in
            let sources = configuration.sourceRouter(httpClient: httpClient, s3Client: s3Client, environment: environment,
                                                     logger: logger)
            let runtime = try PipelineRuntime(configuration: configuration, sources: sources, s3Client: s3Client,
                                              environment: environment)
            let resultStore = try configuration.resultStore.map { location in
                ResultStore(store: try ObjectStoreLocation(location).open(environment: environment, client: s3Client), logger: logger)
            }
            try await QueueOpener.withQueue(configuration.queue, logger: logger) { queue in
                let api = V1API(queue: queue, catalog: runtime.catalog, store: runtime.store, processor: processor,
                                onUpload: configuration.onUpload, apiToken: configuration.apiToken)
                let dependencies = ImageServiceDependencies(
                    settings: settings, processor: processor, sources: sources,
                    cache: ResultCache(capacity: configuration.cacheSize),
                    resultStore: resultStore,
                    metrics: ServiceMetrics(factory: factory),
                    exportMetrics: { registry.emitToString() },
                    api: api)
                var services = configuration.queueServices(queue, names: WireFormat.queues, logger: logger)
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
                    services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                // In-flight requests get as long as one request may take, then are cancelled.
                groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(Int(configuration.timeout * 1000))
                groupConfiguration.maximumCancellationDuration = .seconds(5)
                try await ServiceGroup(configuration: groupConfiguration).run()
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
