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

/// Everything `darkroom serve` can be told. Flags, `DARKROOM_*` environment variables and a
/// JSON config file all set it through ``set(_:_:)``, by the same names, so the three always agree.
/// Precedence: flags over environment over file over defaults.
struct ServeConfiguration {
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
    var timeout = 30.0
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    var maxQueue = ProcessInfo.processInfo.activeProcessorCount * 8
    var watermark: String?
    var logLevel = "info"
    var allowedSources: [String] = []
    var allowInternalSources = false
    var maxRedirects = 3
    var sourceTimeout = 10.0
    var iiifSourcePrefix = "local:///"
    var publicURL: String?
    var queue = "sqlite:./data/queue.db"
    var pipelines: String?
    var onUpload: [String] = []
    var noWorker = false
    var concurrency = ProcessInfo.processInfo.activeProcessorCount
    var apiToken: String?
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
    /// Jobs run this many times slower (tests and demos of a slow worker).
    var throttle = 1.0
    /// What the worker registers itself with besides its capacity (zone, machine type…).
    var labels: [String: String] = [:]

    /// Every setting's name, as a flag (`--name`), an environment variable (`DARKROOM_NAME`)
    /// and a config-file key, with its help.
    static let settings: [(name: String, help: String)] = [
        ("port", "TCP port (default 8080)"),
        ("bind", "address to listen on (default 127.0.0.1; 0.0.0.0 in containers)"),
        ("storage", "the object store: file:PATH or s3://bucket/prefix?endpoint=…&region=…&path_style=true (default file:./data)"),
        ("local-root", "folder that local:/// sources resolve under (default: the storage folder, or ./data)"),
        ("result-store", "keep rendered results in this object store too, shared by every node (file:PATH or s3://…)"),
        ("allow-unsafe", "accept 'unsafe' instead of a signature even when keys are set"),
        ("key", "hex HMAC key; repeat, or comma-separate, for rotation"),
        ("salt", "hex salt, paired with --key in order"),
        ("max-src-pixels", "largest source in pixels (default 50000000)"),
        ("max-src-bytes", "largest source in bytes (default 67108864)"),
        ("max-output-side", "longest side of a result (default 16383)"),
        ("max-frames", "most frames or pages in a source (default 256)"),
        ("cache-size", "result cache size in bytes (default 268435456; 0 disables)"),
        ("cache-max-age", "Cache-Control max-age in seconds (default 31536000)"),
        ("preset", "a preset as name=options, such as thumb=rs:fill:200:200; repeat for more"),
        ("presets-only", "refuse URLs whose options are not presets"),
        ("formats", "formats offered for auto when Accept allows, best first (default avif,webp)"),
        ("timeout", "seconds one request may take before a 504 (default 30)"),
        ("jobs", "pixel threads (default: one per core)"),
        ("max-queue", "renders that may wait for a pixel thread before 429 (default 8 per core)"),
        ("watermark", "image file that the wm option draws"),
        ("log-level", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("allowed-sources", "http(s) and s3 source URL prefixes that may be fetched, comma-separated (default: any)"),
        ("allow-internal-sources", "let http(s) sources reach loopback, private and link-local addresses"),
        ("max-redirects", "redirects followed for http(s) sources (default 3)"),
        ("source-timeout", "seconds an http(s) download may take (default 10)"),
        ("iiif-source-prefix", "what IIIF identifiers are appended to, to name a source (default local:///; s3://bucket/prefix/ works)"),
        ("public-url", "the public base URL for IIIF ids, such as https://images.example.org (default: from Host and X-Forwarded-*)"),
        ("queue", "the job queue: sqlite:PATH or postgres://user:password@host:port/db (default sqlite:./data/queue.db)"),
        ("pipelines", "folder of pipeline specs (*.yaml, *.yml, *.json) that jobs may name"),
        ("on-upload", "pipelines POST /v1/images runs, comma-separated"),
        ("no-worker", "serve only: do not run jobs in this process"),
        ("concurrency", "jobs a worker runs at once (default: one per core)"),
        ("api-token", "require Authorization: Bearer TOKEN on the /v1 API"),
        ("queue-weights", "fair share between queues, as name=weight pairs (default uploads=10,pipelines=1,webhooks=5)"),
        ("job-retention-days", "completed and cancelled jobs are deleted after this many days; dead letters are kept (default 7; 0 keeps everything)"),
        ("lease", "seconds a job's lease lasts; heartbeats renew it, and a dead worker's jobs return after it (default 60)"),
        ("strategy", "how the scheduler places jobs: NAME for every queue, or queue=NAME pairs; NAME is one of \(StrategyName.allCases.map(\.rawValue).joined(separator: ", ")) (default adaptive)"),
        ("no-scheduler", "do not stand for scheduler in this process (workers then pull jobs while no scheduler runs)"),
        ("heartbeat", "seconds between a worker's heartbeats to the registry; three missed and it is dead, its jobs go back (default 5)"),
        ("throttle", "worker: run every job this many times slower, for tests and demos of a slow worker (default 1)"),
        ("labels", "labels the worker registers with, as name=value pairs (zone=eu-1,node=gpu-a)"),
    ]

    /// Sets one setting from its text form.
    /// - Throws: ``ConfigurationError`` naming the setting and what was expected.
    mutating func set(_ name: String, _ value: String) throws {
        func int() throws -> Int {
            guard let v = Int(value), v >= 0 else { throw ConfigurationError(name, "a whole number ≥ 0", value) }
            return v
        }
        func bool() throws -> Bool {
            switch value.lowercased() {
            case "1", "true", "yes", "on", "": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigurationError(name, "true or false", value)
            }
        }
        func list() -> [String] { value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        switch name {
        case "port":
            port = try int()
            guard (1...65535).contains(port) else { throw ConfigurationError(name, "a port in 1...65535", value) }
        case "bind": bind = value
        case "local-root": localRoot = value
        case "storage":
            do { _ = try ObjectStoreLocation(value) } catch { throw ConfigurationError(name, "file:PATH, s3://bucket/prefix?… or memory:", value) }
            storage = value
        case "result-store":
            do { _ = try ObjectStoreLocation(value) } catch { throw ConfigurationError(name, "file:PATH, s3://bucket/prefix?… or memory:", value) }
            resultStore = value
        case "allow-unsafe": allowUnsafe = try bool()
        case "key": keys.append(contentsOf: list())
        case "salt": salts.append(contentsOf: list())
        case "max-src-pixels": maxSrcPixels = try int()
        case "max-src-bytes": maxSrcBytes = try int()
        case "max-output-side": maxOutputSide = try int()
        case "max-frames": maxFrames = try int()
        case "cache-size": cacheSize = try int()
        case "cache-max-age": cacheMaxAge = try int()
        case "preset":
            for item in value.split(separator: ";") {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ConfigurationError(name, "name=options", String(item)) }
                presets[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1]
            }
        case "presets-only": presetsOnly = try bool()
        case "formats":
            formats = try list().map { item in
                guard let format = OutputFormat(name: item), format != .auto else {
                    throw ConfigurationError(name, "formats such as avif,webp", item)
                }
                return format
            }
        case "timeout":
            guard let seconds = Double(value), seconds > 0 else { throw ConfigurationError(name, "seconds > 0", value) }
            timeout = seconds
        case "jobs":
            jobs = try int()
            guard jobs >= 1 else { throw ConfigurationError(name, "at least 1", value) }
        case "max-queue": maxQueue = try int()
        case "watermark": watermark = value
        case "log-level": logLevel = value
        case "allowed-sources": allowedSources.append(contentsOf: list())
        case "allow-internal-sources": allowInternalSources = try bool()
        case "max-redirects": maxRedirects = try int()
        case "iiif-source-prefix":
            guard value.contains(":") else { throw ConfigurationError(name, "a source URL prefix such as local:/// or s3://bucket/", value) }
            iiifSourcePrefix = value
        case "public-url":
            guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ConfigurationError(name, "an http(s) URL", value)
            }
            publicURL = value
        case "queue":
            do { _ = try JobQueueLocation(value) } catch { throw ConfigurationError(name, "sqlite:PATH or postgres://user:password@host:port/db", value) }
            queue = value
        case "pipelines": pipelines = value
        case "on-upload": onUpload.append(contentsOf: list())
        case "no-worker": noWorker = try bool()
        case "concurrency":
            concurrency = try int()
            guard (1...256).contains(concurrency) else { throw ConfigurationError(name, "1...256", value) }
        case "queue-weights":
            for item in list() {
                let parts = item.split(separator: "=").map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]), weight > 0 else {
                    throw ConfigurationError(name, "name=weight pairs with weights > 0, such as uploads=10,pipelines=1", item)
                }
                queueWeights[parts[0]] = weight
            }
        case "strategy":
            for item in list() {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                let names = StrategyName.allCases.map(\.rawValue).joined(separator: ", ")
                guard let strategy = StrategyName(rawValue: parts.last ?? ""), parts.count == 1 || !parts[0].isEmpty else {
                    throw ConfigurationError(name, "NAME or queue=NAME pairs, where NAME is one of \(names)", item)
                }
                if parts.count == 1 { defaultStrategy = strategy } else { strategies[parts[0]] = strategy }
            }
        case "no-scheduler": noScheduler = try bool()
        case "labels":
            for item in list() {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ConfigurationError(name, "name=value pairs, such as zone=eu-1", item) }
                labels[parts[0]] = parts[1]
            }
        case "heartbeat":
            guard let seconds = Double(value), (0.1...60).contains(seconds) else { throw ConfigurationError(name, "seconds in 0.1...60", value) }
            heartbeat = seconds
        case "throttle":
            guard let factor = Double(value), (1...1000).contains(factor) else { throw ConfigurationError(name, "a factor in 1...1000", value) }
            throttle = factor
        case "job-retention-days":
            guard let days = Double(value), days >= 0 else { throw ConfigurationError(name, "days ≥ 0", value) }
            jobRetentionDays = days
        case "lease":
            guard let seconds = Double(value), seconds >= 1 else { throw ConfigurationError(name, "seconds ≥ 1", value) }
            lease = seconds
        case "api-token":
            guard !value.isEmpty else { throw ConfigurationError(name, "a non-empty token", value) }
            apiToken = value
        case "source-timeout":
            guard let seconds = Double(value), seconds > 0 else { throw ConfigurationError(name, "seconds > 0", value) }
            sourceTimeout = seconds
        default: throw ConfigurationError(name, "a known setting (\(Self.settings.map(\.name).joined(separator: ", ")))", value)
        }
    }

    /// Defaults, then the file, then the environment, then the flags (those with a value).
    static func resolved(file: String?, environment: [String: String], flags: [(String, String?)],
                         switches: [(String, Bool)] = []) throws -> ServeConfiguration {
        var result = ServeConfiguration()
        if let file { try result.apply(file: file) }
        try result.apply(environment: environment)
        for case let (name, value?) in flags { try result.set(name, value) }
        for (name, on) in switches where on { try result.set(name, "true") }
        return result
    }

    /// Sends every log to standard error at the configured level.
    func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Applies a JSON config file: an object whose keys are setting names. `presets` may also
    /// be given as an object of name → options.
    mutating func apply(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("config", "a readable JSON file", path)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigurationError("config", "a JSON object of settings", path)
        }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            switch value {
            case let presets as [String: Any] where name == "presets":
                for (preset, options) in presets { try set("preset", "\(preset)=\(options)") }
            case let items as [Any]:
                for item in items { try set(name, "\(item)") }
            case let flag as Bool:
                try set(name, flag ? "true" : "false")
            default:
                try set(name, "\(value)")
            }
        }
    }

    /// Applies every `DARKROOM_*` variable that names a setting.
    mutating func apply(environment: [String: String]) throws {
        for (name, _) in Self.settings {
            let variable = "DARKROOM_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            if let value = environment[variable] { try set(name, value) }
        }
        if let value = environment["DARKROOM_PRESETS"] { try set("preset", value) }
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
                                    iiif: IIIFSettings(sourcePrefix: iiifSourcePrefix, publicBaseURL: publicURL))
    }

    /// The fetchers for `local:///`, `http(s)://` and `s3://` sources, as the service and the workers use them.
    func sourceRouter(httpClient: HTTPClient, s3Client: HTTPClient, environment: [String: String], logger: Logger) -> SourceRouter {
        let buckets = BucketStores { bucket throws(ObjectStoreError) in
            S3ObjectStore(configuration: try sourceBucketConfiguration(bucket, environment: environment),
                          client: s3Client, logger: logger)
        }
        return SourceRouter([LocalFileFetcher(root: resolvedLocalRoot),
                             HTTPSourceFetcher(client: httpClient, policy: sourcePolicy),
                             ObjectSourceFetcher(allowList: SourceAllowList(allowedSources), store: buckets.store(for:))])
    }

    var sourcePolicy: HTTPSourceFetcher.Policy {
        HTTPSourceFetcher.Policy(allowedPrefixes: allowedSources, allowInternalNetworks: allowInternalSources,
                                 maxRedirects: maxRedirects, timeout: .milliseconds(Int(sourceTimeout * 1000)))
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
}

/// A setting has a value it cannot take.
struct ConfigurationError: Error, CustomStringConvertible {
    let setting: String
    let expected: String
    let found: String

    init(_ setting: String, _ expected: String, _ found: String) {
        self.setting = setting
        self.expected = expected
        self.found = found
    }

    var description: String { "setting '\(setting)': expected \(expected), got '\(found)'" }
}
