import ImageSources
import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import ImageModel
import ImageService
import JobQueue
import Scheduling
import ObjectStorage
import ObjectStorageS3

/// Everything `darkroom serve` and `darkroom worker` can be told, with its defaults.
///
/// Flags, `DARKROOM_*` environment variables and a JSON config file all set it through one
/// table, ``settings``, by the same names; ``resolved(file:environment:flags:)`` applies them
/// in order: defaults, then the file, then the environment, then the flags.
struct DarkroomConfiguration: Sendable {
    var port = 8080
    var bind = "127.0.0.1"
    var localRoot: String?
    var storage = "file:./data"
    var resultStore: String?
    var allowUnsafe = false
    var keys: [String] = []
    var salts: [String] = []
    var maxSrcPixels = Limits().maxInputPixels
    var maxSrcBytes = Limits().maxInputBytes
    var maxOutputSide = Limits().maxOutputSide
    var maxFrames = Limits().maxFrames
    var cacheSize = 256 << 20
    var cacheMaxAge = 31_536_000
    var presets: [String: String] = [:]
    var presetsOnly = false
    var formats: [OutputFormat] = [.avif, .webp]
    /// `q:auto:good`'s SSIMULACRA2 score by format name, over ``AutoQualityPolicy/defaultGoodScores``.
    var autoQualityGood: [String: Double] = [:]
    /// The qualities `aq` may choose from, by format name, over the policy's defaults.
    var autoQualityRanges: [String: ClosedRange<Int>] = [:]
    var timeout = 30.0
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    var maxQueue = ProcessInfo.processInfo.activeProcessorCount * 8
    /// Renders waiting for a pixel thread at which AVIF answers are made as WebP; 0 is off.
    var degradeAVIFAtQueue = 1
    var watermark: String?
    var logLevel = "info"
    var allowedSources: [String] = []
    var allowInternalSources = false
    var dicomPatientData = false
    var maxRedirects = 3
    var sourceTimeout = 10.0
    var streamSources: [String] = []
    var streamTimeout = 10.0
    var iiifSourcePrefix = "local:///"
    var publicURL: String?
    var queue = "sqlite:./data/queue.db"
    /// The similarity index; unset, it sits beside the queue's database (``resolvedIndex``).
    var index: String?
    var pipelines: String?
    /// The folder of model specs pipelines may name.
    var models: String?
    /// The face detector (`FaceDetectorKind`), or `none`.
    var faceDetector = "centerface"
    /// The folder of the face networks.
    var faceModels = ".models/faces"
    /// Seconds a starting process waits for the queue and storage before it gives up.
    var startupTimeout = 30.0
    /// Where traces go (an OTLP/HTTP collector's base URL); nil traces nothing.
    var otlpEndpoint: String?
    var onUpload: [String] = []
    var noWorker = false
    var concurrency = ProcessInfo.processInfo.activeProcessorCount
    var apiToken: String?
    var apiRateLimit = 100.0
    var noLanding = false
    var lease = 60.0
    var jobRetentionDays = 7.0
    /// Fair-share weights between the queues workers serve.
    var queueWeights: [String: Double] = ["uploads": 10, "pipelines": 1, "webhooks": 5]
    /// Placement strategy by queue, and for queues not named.
    var strategies: [String: StrategyName] = [:]
    var defaultStrategy: StrategyName = .adaptive
    var noScheduler = false
    /// Seconds between a worker's registry heartbeats; silent for three, it is taken for dead.
    var heartbeat = 5.0
    /// Seconds one run of a job may take (0: no limit): a run stuck on a dependency that never
    /// answers would otherwise hold its slot for ever, since heartbeats keep its lease alive.
    var jobTimeout = 600.0
    /// Jobs run this many times slower (tests and demos of a slow worker).
    var throttle = 1.0
    /// What the worker registers itself with besides its capacity (zone, machine type…).
    var labels: [String: String] = [:]

    /// Sends every log to standard error at the configured level.
    func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The service settings these values describe.
    func serviceSettings() throws -> ImageServiceSettings {
        guard keys.count == salts.count else {
            throw ConfigurationError("salt", "one salt per key (\(keys.count) keys)", "\(salts.count) salts")
        }
        let pairs = try zip(keys, salts).map { try URLSigner.KeyPair(hexKey: $0, hexSalt: $1) }
        return ImageServiceSettings(signer: URLSigner(keys: pairs), allowUnsafe: allowUnsafe, presets: presets,
                                    presetsOnly: presetsOnly, limits: limits, cacheMaxAge: cacheMaxAge,
                                    formatPreference: formats, timeout: .milliseconds(Int(timeout * 1000)),
                                    iiif: IIIFSettings(sourcePrefix: iiifSourcePrefix, publicBaseURL: publicURL),
                                    degradeAVIFAtQueue: degradeAVIFAtQueue, dicomPatientData: dicomPatientData)
    }

    /// What the landing page shows and when the console opens: the version and engine, where
    /// objects and jobs live (credentials and query strings left out), the strategy, the demo
    /// images under the local root, and whether only this machine can connect.
    func consoleSettings(version: String, engine: String) -> ConsoleSettings {
        let demo = (try? FileManager.default.contentsOfDirectory(atPath: resolvedLocalRoot + "/demo")) ?? []
        let strategies = ([defaultStrategy.rawValue] + strategies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" })
        return ConsoleSettings(
            landingPage: !noLanding, loopbackOnly: ["127.0.0.1", "localhost", "::1"].contains(bind),
            about: ServerDescription(version: version, engine: engine, storage: Self.redacted(storage), queue: Self.redacted(queue),
                                     scheduler: noScheduler ? "off" : strategies.joined(separator: ", ")),
            demoImages: demo.filter { name in
                ["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "avif", "heic"].contains((name as NSString).pathExtension.lowercased())
            }.sorted())
    }

    /// A location without its user, password and query (where keys may sit).
    static func redacted(_ location: String) -> String {
        guard var components = URLComponents(string: location), components.scheme != nil else { return location }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? location
    }

    /// The defaults `aq` and `q:auto` fill in, per output format.
    var autoQualityPolicy: AutoQualityPolicy {
        // The settings table accepts only format names as keys (see ``settings``).
        func byFormat<Value>(_ entries: [String: Value]) -> [OutputFormat: Value] {
            Dictionary(entries.compactMap { key, value in OutputFormat(name: key).map { ($0, value) } }) { _, last in last }
        }
        return AutoQualityPolicy(goodScores: byFormat(autoQualityGood), ranges: byFormat(autoQualityRanges))
    }

    /// The fetchers for `local:///`, `http(s)://` and `s3://` sources, as the service and the workers use them.
    func sourceRouter(s3Client: HTTPClient, environment: [String: String], logger: Logger) -> SourceRouter {
        let buckets = BucketStores { bucket throws(ObjectStoreError) in
            S3ObjectStore(configuration: try sourceBucketConfiguration(bucket, environment: environment),
                          client: s3Client, logger: logger)
        }
        return SourceRouter([LocalFileFetcher(root: resolvedLocalRoot),
                             HTTPSourceFetcher(policy: sourcePolicy),
                             ObjectSourceFetcher(allowList: SourceAllowList(allowedSources), store: buckets.store(for:))])
    }

    var sourcePolicy: HTTPSourceFetcher.Policy {
        HTTPSourceFetcher.Policy(allowedPrefixes: allowedSources, allowInternalNetworks: allowInternalSources,
                                 maxRedirects: maxRedirects, timeout: .milliseconds(Int(sourceTimeout * 1000)))
    }

    /// Which live streams may be read: `stream-sources`' schemes, under the source policy.
    var streamRules: StreamSourceRules {
        StreamSourceRules(schemes: Set(streamSources), policy: sourcePolicy)
    }

    /// The folder `local:///` sources resolve under: the flag, else the storage folder, else ./data.
    var resolvedLocalRoot: String {
        if let localRoot { return localRoot }
        if case let .folder(path)? = try? ObjectStoreLocation(storage) { return path }
        return "./data"
    }

    /// The S3 settings for `bucket` as a source: the storage URL's endpoint, region and options
    /// when the storage is on S3, else the standard AWS_* variables.
    func sourceBucketConfiguration(_ bucket: String, environment: [String: String]) throws(ObjectStoreError) -> S3Configuration {
        if case .s3? = try? ObjectStoreLocation(storage) {
            var configuration = try S3Configuration(url: storage, environment: environment)
            configuration.bucket = bucket
            configuration.prefix = ""
            return configuration
        }
        return try S3Configuration(url: "s3://\(bucket)", environment: environment)
    }

    /// The queue's housekeeping: gauges always, retention unless it is off.
    func queueServices(_ queue: any JobScheduling, names: [String], logger: Logger) -> [any Service] {
        var services: [any Service] = [QueueGauges(queue: queue, names: names, logger: logger)]
        if jobRetentionDays > 0 {
            services.append(QueueRetention(queue: queue, retention: .seconds(jobRetentionDays * 86_400), logger: logger))
        }
        return services
    }

    var limits: Limits {
        Limits(maxInputBytes: maxSrcBytes, maxInputPixels: maxSrcPixels, maxOutputSide: maxOutputSide, maxFrames: maxFrames)
    }

    /// The similarity index: as configured, else beside the queue: `index.db` beside a SQLite
    /// queue's file, the same database as a PostgreSQL queue (every node shares it), in memory
    /// beside a memory queue.
    var resolvedIndex: String {
        if let index { return index }
        switch try? JobQueueLocation(queue) {
        case let .sqlite(path)?: return "sqlite:" + ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("index.db")
        case .memory?: return "memory:"
        case let .postgres(url)?: return url
        case nil: return "sqlite:./data/index.db"
        }
    }
}
