import ImageService
import ArgumentParser
import Foundation
import ImageProcessing
import JobQueue
import Logging
import Metrics
import Prometheus
import ObjectStorage
import Pipelines
import Scheduling
import ServiceLifecycle
import Similarity
import UnixSignals

/// `darkroom worker`: runs pipeline jobs from the queue, without serving HTTP.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run pipeline jobs (and their webhooks) from the queue.",
        discussion: """
            A worker claims a job only when one of its --concurrency slots is free. On SIGTERM or
            SIGINT it stops claiming, gives running jobs 20 s to finish, then hands them back to
            the queue (the attempt is not counted) and exits.

            Settings also come from DARKROOM_* variables and --config, as for serve.

            Example:
              darkroom worker --queue postgres://darkroom:secret@db:5432/darkroom \\
                --storage 's3://images?endpoint=http://s3:8333' --pipelines ./pipelines --concurrency 4
            """)

    @OptionGroup var options: WorkerRunOptions
    @Option(help: "Serve /health and Prometheus /metrics on this port (on --bind).") var metricsPort: Int?
    @Option(help: "Declare GPUs instead of asking nvidia-smi: INDEX:MODEL:MEMORY_MB,…") var gpus: String?
    @Option(help: "Simulated GPUs for tests and demos: COUNT:MEMORY_MB.") var simulateGpus: String?

    func validate() throws {
        if let metricsPort, !(1...65535).contains(metricsPort) { throw ValidationError("--metrics-port: expected 1...65535") }
        do {
            if let gpus { _ = try GPUInventory(declared: gpus) }
            if let simulateGpus { _ = try GPUInventory(simulated: simulateGpus) }
        } catch {
            throw ValidationError(error.description)
        }
        do {
            let configuration = try options.resolvedConfiguration()
            guard configuration.pipelines != nil else { throw ConfigurationError("pipelines", "a folder of pipeline specs", "nothing") }
            _ = try PipelineRuntime.catalog(configuration)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        } catch let error as PipelineError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let configuration = try options.resolvedConfiguration()
        configuration.bootstrapLogging()
        let logger = Logger(label: "darkroom.worker")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let tracing = try configuration.bootstrapTracing(service: "darkroom-worker")
        let environment = ProcessInfo.processInfo.environment
        // Detected now and logged; the cluster scheduler will place GPU jobs by it.
        let (inventory, liveGPUs) = try await GPUDetection.inventory(declared: gpus, simulated: simulateGpus, logger: logger)
        // Pixel threads match the slots: each running job has one (and verifies its duplicates there).
        let pool = PixelPool(threads: configuration.concurrency, maxQueued: configuration.concurrency * 2)
        let processor = FaceDetectorLoader.processor(ImageProcessor(limits: configuration.limits, pool: pool, autoQuality: configuration.autoQualityPolicy, logger: logger),
                                                     kind: configuration.faceDetector, folder: configuration.faceModels,
                                                     logger: logger)
        try await withHTTPClients { httpClient, s3Client in
            let sources = configuration.sourceRouter(s3Client: s3Client, environment: environment,
                                                     logger: logger)
            try await IndexOpener.withIndex(try SimilarityIndexLocation(configuration.resolvedIndex), startup: configuration.startupLimit, logger: logger,
                                            executor: .pool(processor.pool)) { index in
                let runtime: PipelineRuntime
                do {
                    let models = try await PipelineRuntime.models(configuration, pool: pool)
                    runtime = try PipelineRuntime(configuration: configuration, sources: sources, s3Client: s3Client,
                                                  index: index, models: models, environment: environment)
                } catch {
                    throw ValidationError("\(error)")
                }
                // Connections: one per slot, the LISTEN, the scheduler's lock, and its queries.
                try await QueueOpener.withQueue(configuration.queue, connections: configuration.concurrency + 4,
                                                startup: configuration.startupLimit, logger: logger) { queue in
                    let readiness = configuration.readinessMonitor(queue: queue, store: runtime.store, index: runtime.index, logger: logger)
                    try await readiness.waitUntilReady(within: configuration.startupLimit)
                    let workerID = UUID().uuidString.lowercased()
                    let worker = runtime.worker(queue: queue, processor: processor, webhookClient: httpClient,
                                                configuration: configuration, workerID: workerID, gpus: inventory, liveGPUs: liveGPUs,
                                                logger: logger)
                    // On PostgreSQL every worker stands for scheduler; on SQLite, serve schedules.
                    let isPostgres: Bool
                    if case .postgres = try JobQueueLocation(configuration.queue) { isPostgres = true } else { isPostgres = false }
                    let scheduler = isPostgres
                        ? PipelineRuntime.scheduler(queue: queue, holder: workerID, configuration: configuration) : nil
                    logger.notice("darkroom worker started", metadata: [
                        "queue": "\((try? JobQueueLocation(configuration.queue))?.description ?? "")",
                        "storage": "\(configuration.storage)", "pipelines": "\(runtime.catalog.names.joined(separator: ","))",
                        "concurrency": "\(configuration.concurrency)", "pid": "\(getpid())",
                        "gpus": "\(inventory.devices.map { "\($0.index):\($0.model):\($0.memoryMB)" }.joined(separator: ","))",
                    ])
                    // Shut down in reverse: the worker drains first, then the pool.
                    let services: [any Service] = (tracing.map { [$0] } ?? []) + [PixelPoolService(pool: pool), runtime.models, readiness]
                        + configuration.queueServices(queue, names: WireFormat.queues, logger: logger)
                        + (metricsPort.map { [MetricsEndpoint.application(host: configuration.bind, port: $0, registry: registry, readiness: readiness,
                                                                          logger: logger)] } ?? [])
                        + (scheduler.map { [$0] } ?? [])
                        + [worker]
                    var groupConfiguration = ServiceGroupConfiguration(
                        services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                    // A draining worker finishes what it holds for up to a lease, then hands it back
                    // (Kubernetes' terminationGracePeriodSeconds is longer than both).
                    groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(Int(configuration.lease * 1000) + 5000)
                    groupConfiguration.maximumCancellationDuration = .seconds(5)
                    try await ServiceGroup(configuration: groupConfiguration).run()
                }
            }
        }
        logger.notice("darkroom worker stopped")
    }
}
