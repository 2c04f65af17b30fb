import Foundation
import ImageAnalysis
import ImageModel
import ImageSources
import JobQueue
import Logging
import ObjectStorage
import Scheduling
import Similarity

extension DarkroomConfiguration {
    /// Every setting, once: flags, `DARKROOM_*` variables and the config file are read through
    /// this table (``Setting``), and `serve --help` lists it.
    /// A format `aq` can choose a quality for.
    @Sendable static func isLossyFormat(_ name: String) -> Bool {
        guard let format = OutputFormat(name: name) else { return false }
        return [.jpeg, .webp, .avif, .heic, .tiff].contains(format)
    }

    /// The longest a time setting in seconds may be: a day, longer than any request, download or
    /// lease needs. Unbounded, a value past what a `Duration` of whole milliseconds holds
    /// (1e300) stopped the process with a trap at start-up instead of a usage error.
    static let maxSeconds = 86_400.0

    static let settings: [Setting] = [
        // Where things live.
        .integer("port", \.port, in: 1...65535, help: "TCP port"),
        .text("bind", \.bind, help: "address to listen on (0.0.0.0 in containers)"),
        .text("storage", \.storage, expected: storeExpected, help: "the object store: file:PATH or s3://bucket/prefix?endpoint=…&region=…&path_style=true",
              isValid: isStoreLocation),
        .optionalText("local-root", \.localRoot, help: "folder that local:/// sources resolve under (default: the storage folder, or ./data)"),
        .optionalText("result-store", \.resultStore, expected: storeExpected,
                      help: "keep rendered results in this object store too, shared by every node (file:PATH or s3://…)",
                      isValid: isStoreLocation),
        .text("queue", \.queue, expected: "sqlite:PATH or postgres://user:password@host:port/db",
              help: "the job queue: sqlite:PATH or postgres://user:password@host:port/db") { (try? JobQueueLocation($0)) != nil },
        .optionalText("index", \.index, expected: "sqlite:PATH, postgres://… or memory:",
                      help: "the similarity index: sqlite:PATH, postgres://user:password@host:port/db or memory: (default: beside the queue)") {
            (try? SimilarityIndexLocation($0)) != nil
        },
        .optionalText("pipelines", \.pipelines, help: "folder of pipeline specs (*.yaml, *.yml, *.json) that jobs may name"),
        .optionalText("models", \.models, help: "folder of ONNX model specs (*.yaml) that pipelines may name"),
        .text("face-detector", \.faceDetector, expected: "centerface, mtcnn, haar or none",
              help: "what finds faces for g:obj:face, bd, dd and the faces feature: centerface, mtcnn, haar or none") {
            $0 == "none" || FaceDetectorKind(rawValue: $0) != nil
        },
        .text("face-models", \.faceModels, help: "folder with the face networks that scripts/bootstrap unpacks"),
        .number("startup-timeout", \.startupTimeout, in: 0...3600, expected: "seconds in 0...3600",
                help: "seconds to wait at start for the queue and storage to answer before exiting with an error"),
        .optionalText("otlp-endpoint", \.otlpEndpoint, expected: "an http(s) URL such as http://collector:4318",
                      help: "send traces over OTLP/HTTP to this collector (its /v1/traces); unset, nothing is traced") {
            guard let url = URL(string: $0) else { return false }
            return (url.scheme == "http" || url.scheme == "https") && url.host != nil
        },
        // Signing and what URLs may ask.
        .toggle("allow-unsafe", \.allowUnsafe, help: "accept 'unsafe' instead of a signature even when keys are set"),
        Setting.list("key", \.keys, help: "hex HMAC key; repeat, or comma-separate, for rotation") { $0 }.secret(),
        Setting.list("salt", \.salts, help: "hex salt, paired with --key in order") { $0 }.secret(),
        .entries("preset", \.presets, separator: ";", expected: "name=options",
                 help: "a preset as name=options, such as thumb=rs:fill:200:200; repeat for more") { $0 },
        .toggle("presets-only", \.presetsOnly, help: "refuse URLs whose options are not presets"),
        .list("formats", \.formats, help: "formats offered for auto when Accept allows, best first") { item throws(ConfigurationError) in
            guard let format = OutputFormat(name: item), format != .auto else {
                throw ConfigurationError("formats", "formats such as avif,webp", item)
            }
            return format
        },
        .entries("aq-good", \.autoQualityGood, expected: "format=score, such as webp=74 (SSIMULACRA2 0–100)",
                 help: "q:auto:good's SSIMULACRA2 score per format, such as jpeg=79,webp=74 (best is 10 more, eco 8 less, low 16 less)",
                 isKey: isLossyFormat) {
            guard let score = Double($0), (0...100).contains(score) else { return nil }
            return score
        },
        .entries("aq-range", \.autoQualityRanges, expected: "format=min-max, such as avif=30-85",
                 help: "the qualities aq may choose from per format, such as jpeg=40-95,avif=30-85", isKey: isLossyFormat) { text in
            let bounds = text.replacingOccurrences(of: "...", with: "-").split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, (1...100).contains(bounds[0]), (bounds[0]...100).contains(bounds[1]) else { return nil }
            return bounds[0]...bounds[1]
        },
        // Limits, checked before anything is decoded.
        .integer("max-src-pixels", \.maxSrcPixels, help: "largest source in pixels"),
        .integer("max-src-bytes", \.maxSrcBytes, help: "largest source in bytes"),
        .integer("max-output-side", \.maxOutputSide, help: "longest side of a result"),
        .integer("max-frames", \.maxFrames, help: "most frames or pages in a source"),
        .integer("cache-size", \.cacheSize, help: "result cache size in bytes; 0 disables"),
        .integer("cache-max-age", \.cacheMaxAge, help: "Cache-Control max-age in seconds"),
        .number("timeout", \.timeout, in: 0.001...Self.maxSeconds, expected: "seconds from 0.001 to 86400",
                help: "seconds one request may take before a 504"),
        .integer("jobs", \.jobs, in: 1...1024, shown: "one per core", help: "pixel threads"),
        .integer("max-queue", \.maxQueue, shown: "8 per core", help: "renders that may wait for a pixel thread before 429"),
        .integer("degrade-avif-at-queue", \.degradeAVIFAtQueue,
                 help: "renders waiting for a pixel thread at which a negotiated AVIF answer is made as WebP now and AVIF later; 0 is off"),
        .optionalText("watermark", \.watermark, help: "image file that the wm option draws"),
        .toggle("dicom-patient-data", \.dicomPatientData,
                help: "show DICOM patient name, ID, birth date and sex in info answers (left out by default)"),
        .text("log-level", \.logLevel, expected: "trace, debug, info, notice, warning, error or critical",
              help: "trace, debug, info, notice, warning, error or critical") { Logger.Level(rawValue: $0) != nil },
        // Sources on the network.
        .list("allowed-sources", \.allowedSources, help: "http(s) and s3 source URL prefixes that may be fetched, comma-separated (default: any)") { $0 },
        .toggle("allow-internal-sources", \.allowInternalSources, help: "let http(s) sources reach loopback, private and link-local addresses"),
        .integer("max-redirects", \.maxRedirects, help: "redirects followed for http(s) sources"),
        .number("source-timeout", \.sourceTimeout, in: 0.001...Self.maxSeconds, expected: "seconds from 0.001 to 86400",
                help: "seconds an http(s) download may take"),
        .list("stream-sources", \.streamSources,
              help: "live stream schemes that may be read: rtsp, udp, http, https, comma-separated (default: none)") { text throws(ConfigurationError) in
            guard StreamSourceRules.knownSchemes.contains(text) else {
                throw ConfigurationError("stream-sources", StreamSourceRules.knownSchemes.joined(separator: ", "), text)
            }
            return text
        },
        .number("stream-timeout", \.streamTimeout, in: 0.1...3600, expected: "seconds from 0.1 to 3600",
                help: "seconds a live stream may send nothing before it is reopened"),
        // IIIF.
        .text("iiif-source-prefix", \.iiifSourcePrefix, expected: "a source URL prefix such as local:/// or s3://bucket/",
              help: "what IIIF identifiers are appended to, to name a source (s3://bucket/prefix/ works)") { $0.contains(":") },
        .optionalText("public-url", \.publicURL, expected: "an http(s) URL",
                      help: "the public base URL for IIIF ids, such as https://images.example.org (default: from Host and X-Forwarded-*)") {
            guard let url = URL(string: $0) else { return false }
            return (url.scheme == "http" || url.scheme == "https") && url.host != nil
        },
        // Jobs and workers.
        .list("on-upload", \.onUpload, help: "pipelines POST /v1/images runs, comma-separated") { $0 },
        .toggle("no-worker", \.noWorker, help: "serve only: do not run jobs in this process"),
        .integer("concurrency", \.concurrency, in: 1...256, shown: "one per core", help: "jobs a worker runs at once"),
        Setting.optionalText("api-token", \.apiToken, expected: "a non-empty token",
                             help: "require Authorization: Bearer TOKEN on the /v1 API") { !$0.isEmpty }.secret(),
        .toggle("no-landing", \.noLanding, help: "serve no landing page at / (production)"),
        .number("api-rate-limit", \.apiRateLimit, in: 0...Double.greatestFiniteMagnitude, expected: "requests per second ≥ 0",
                help: "requests per second each API key (and the API token) may make, bursting to twice that; 0 for no limit; a key's own rate wins"),
        .entries("queue-weights", \.queueWeights, expected: "name=weight pairs with weights > 0, such as uploads=10,pipelines=1",
                 help: "fair share between queues, as name=weight pairs") { Double($0).flatMap { $0 > 0 ? $0 : nil } },
        .number("job-retention-days", \.jobRetentionDays, in: 0...36_500, expected: "days from 0 to 36500",
                help: "completed and cancelled jobs are deleted after this many days; dead letters are kept; 0 keeps everything"),
        .number("lease", \.lease, in: 1...Self.maxSeconds, expected: "seconds from 1 to 86400",
                help: "seconds a job's lease lasts; heartbeats renew it, and a dead worker's jobs return after it"),
        strategy,
        .toggle("no-scheduler", \.noScheduler,
                help: "do not stand for scheduler in this process (workers then pull jobs while no scheduler runs)"),
        .number("heartbeat", \.heartbeat, in: 0.1...60, expected: "seconds in 0.1...60",
                help: "seconds between a worker's heartbeats to the registry; three missed and it is dead, its jobs go back"),
        .number("job-timeout", \.jobTimeout, in: 0...7 * Self.maxSeconds, expected: "seconds from 0 to 604800 (a week)",
                help: "seconds one run of a job may take before it is stopped and retried; 0 for no limit"),
        .number("throttle", \.throttle, in: 1...1000, expected: "a factor in 1...1000",
                help: "worker: run every job this many times slower, for tests and demos of a slow worker"),
        .entries("labels", \.labels, expected: "name=value pairs, such as zone=eu-1",
                 help: "labels the worker registers with, as name=value pairs (zone=eu-1,node=gpu-a)") { $0 },
    ]

    /// The defaults, made once (they read the machine's core count).
    static let defaults = DarkroomConfiguration()

    /// The setting called `name`, if there is one.
    static func setting(named name: String) -> Setting? {
        settingsByName[name]
    }

    private static let settingsByName = Dictionary(uniqueKeysWithValues: settings.map { ($0.name, $0) })

    private static let storeExpected = "file:PATH, s3://bucket/prefix?… or memory:"

    private static func isStoreLocation(_ text: String) -> Bool {
        (try? ObjectStoreLocation(text)) != nil
    }

    /// `NAME` for every queue, or `queue=NAME` pairs.
    private static let strategy = Setting(
        "strategy",
        help: "how the scheduler places jobs: NAME for every queue, or queue=NAME pairs; NAME is one of "
            + StrategyName.allCases.map(\.rawValue).joined(separator: ", "),
        kind: .entries, show: { $0.defaultStrategy.rawValue }
    ) { configuration, text throws(ConfigurationError) in
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let names = StrategyName.allCases.map(\.rawValue).joined(separator: ", ")
            guard let strategy = StrategyName(rawValue: parts.last ?? ""), parts.count == 1 || !parts[0].isEmpty else {
                throw ConfigurationError("strategy", "NAME or queue=NAME pairs, where NAME is one of \(names)", String(item))
            }
            if parts.count == 1 { configuration.defaultStrategy = strategy } else { configuration.strategies[parts[0]] = strategy }
        }
    }
}
