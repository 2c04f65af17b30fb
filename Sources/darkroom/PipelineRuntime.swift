import AsyncHTTPClient
import Foundation
import ImageModel
import ImageProcessing
import ImageSources
import JobQueue
import Logging
import ObjectStorage
import Pipelines
import Scheduling
import ImageAnalysis
import Inference
import Similarity

/// What runs pipeline jobs, put together the same way for `serve` (embedded worker) and `worker`.
struct PipelineRuntime {
    let catalog: PipelineCatalog
    /// Uploads, job sources given as keys, and outputs.
    let store: any ObjectStore
    let sources: SourceRouter
    /// Where signatures are indexed and duplicates looked up (`--index`).
    let index: any SimilarityIndex
    /// The models of `--models`, loaded and checked; a Service to run beside the worker.
    let models: ModelRegistry

    /// Loads the pipelines and opens the store the configuration names.
    init(configuration: DarkroomConfiguration, sources: SourceRouter, s3Client: HTTPClient, index: any SimilarityIndex,
         models: ModelRegistry = .empty, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        catalog = try Self.catalog(configuration)
        self.models = models
        store = try ObjectStoreLocation(configuration.storage).open(environment: environment, client: s3Client)
        self.index = index
        self.sources = sources
    }

    /// The pipelines `--pipelines` names, checked against `--on-upload`.
    /// - Throws: ``ConfigurationError`` naming the setting; `PipelineError` for a bad spec.
    static func catalog(_ configuration: DarkroomConfiguration) throws -> PipelineCatalog {
        // Every model a pipeline names must be in --models; its resources join the pipeline's.
        let catalog = try (configuration.pipelines.map { try PipelineCatalog(directory: URL(fileURLWithPath: $0)) } ?? PipelineCatalog())
            .requiring(models: configuration.models.map { try ModelRegistry.specs(in: $0) } ?? [])
        for name in configuration.onUpload where catalog.pipelines[name] == nil {
            throw ConfigurationError("on-upload", "names of loaded pipelines (\(catalog.names.joined(separator: ", ")))", name)
        }
        return catalog
    }

    /// The models of `--models`, each loaded and checked against its spec, their passes on
    /// `pool`; none when the setting is absent.
    /// - Throws: ``InferenceError`` for the first bad spec or model: a start-up error.
    static func models(_ configuration: DarkroomConfiguration, pool: PixelPool) async throws -> ModelRegistry {
        guard let folder = configuration.models else { return .empty }
        return try await ModelRegistry.load(folder: folder, runtime: OpenCVRuntime(), pool: pool)
    }

    /// A worker for the `pipelines`, `webhooks` and `streams` queues, as `configuration` says (slots,
    /// lease, fair share, heartbeat, throttle). It registers in the queue's database (which
    /// holds the worker registry too) as `workerID`, with this machine's capacity and `gpus`.
    func worker(queue: any JobScheduling, processor: ImageProcessor, webhookClient: HTTPClient, configuration: DarkroomConfiguration,
                workerID: String, gpus: GPUInventory = .none,
                liveGPUs: (@Sendable () async -> [GPUInventory.Device]?)? = nil, logger: Logger) -> JobWorker {
        let runner = PipelineRunner(catalog: catalog, processor: processor,
                                    sources: RoutedPipelineSources(router: sources, store: store), store: store, index: index,
                                    models: models,
                                    dicomKey: ProcessInfo.processInfo.environment["DARKROOM_DICOM_KEY"].map { Data($0.utf8) },
                                    logger: logger)
        let pipelines = PipelineJobHandler(runner: runner, catalog: catalog, queue: queue)
        return JobWorker(queue: queue, handlers: [
            PipelineJob.uploadQueue: pipelines,
            PipelineJob.queue: pipelines,
            WebhookDelivery.queue: WebhookHandler(client: webhookClient),
            StreamJob.queue: StreamRunner(rules: configuration.streamRules, catalog: catalog, store: store, queue: queue, processor: processor,
                                          settings: .init(maxPixels: processor.limits.maxInputPixels,
                                                          readTimeout: .milliseconds(Int(configuration.streamTimeout * 1000))),
                                          logger: Logger(label: "darkroom.streams")),
        ], settings: .init(concurrency: configuration.concurrency, lease: .milliseconds(Int(configuration.lease * 1000)),
                           // A draining worker finishes what it holds for up to a lease, then hands it back.
                           drainTimeout: .milliseconds(Int(configuration.lease * 1000)),
                           weights: configuration.queueWeights, throttle: configuration.throttle,
                           runLimit: configuration.jobTimeout > 0 ? .milliseconds(Int(configuration.jobTimeout * 1000)) : nil,
                           // A stream runs until it is removed.
                           endlessQueues: [StreamJob.queue]),
           registration: JobWorker.Registration(registry: queue, record: WorkerRecord(
                   id: workerID, host: ProcessInfo.processInfo.hostName, pid: Int(getpid()), version: Darkroom.version,
                   labels: configuration.labels, slots: configuration.concurrency, memoryMB: Int(ProcessInfo.processInfo.physicalMemory >> 20),
                   gpus: gpus.devices), interval: .milliseconds(Int(configuration.heartbeat * 1000)), liveGPUs: liveGPUs),
           logger: logger)
    }

    /// This process's candidacy for cluster scheduler, leading as `holder`; nil when the
    /// configuration turns it off or the queue cannot schedule.
    static func scheduler(queue: any JobScheduling, holder: String, configuration: DarkroomConfiguration) -> JobScheduler? {
        guard !configuration.noScheduler else { return nil }
        return JobScheduler(queue: queue, queues: WireFormat.queues, holder: holder, settings: .init(
            strategies: configuration.strategies, defaultStrategy: configuration.defaultStrategy,
            weights: configuration.queueWeights), logger: Logger(label: "darkroom.scheduler"))
    }
}
