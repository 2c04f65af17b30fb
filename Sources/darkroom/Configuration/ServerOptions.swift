import ArgumentParser

/// The HTTP service's own settings: its port, signatures, presets, formats, caching, pixel
/// threads, IIIF and the `/v1` API. `serve` only.
struct ServerOptions: SettingGroup {
    @Option(help: .setting("port")) var port: String?
    @Option(help: .setting("result-store")) var resultStore: String?
    @Flag(help: .setting("allow-unsafe")) var allowUnsafe = false
    @Option(help: .setting("key")) var key: [String] = []
    @Option(help: .setting("salt")) var salt: [String] = []
    @Option(help: .setting("preset")) var preset: [String] = []
    @Flag(help: .setting("presets-only")) var presetsOnly = false
    @Option(help: .setting("formats")) var formats: String?
    @Option(help: .setting("aq-good")) var aqGood: String?
    @Option(help: .setting("aq-range")) var aqRange: String?
    @Option(help: .setting("cache-size")) var cacheSize: String?
    @Option(help: .setting("cache-max-age")) var cacheMaxAge: String?
    @Option(help: .setting("timeout")) var timeout: String?
    @Option(name: .shortAndLong, help: .setting("jobs")) var jobs: String?
    @Option(help: .setting("max-queue")) var maxQueue: String?
    @Option(help: .setting("degrade-avif-at-queue")) var degradeAvifAtQueue: String?
    @Option(help: .setting("watermark")) var watermark: String?
    @Flag(help: .setting("dicom-patient-data")) var dicomPatientData = false
    @Option(help: .setting("iiif-source-prefix")) var iiifSourcePrefix: String?
    @Option(help: .setting("public-url")) var publicURL: String?
    @Option(help: .setting("on-upload")) var onUpload: String?
    @Flag(help: .setting("no-worker")) var noWorker = false
    @Option(help: .setting("api-token")) var apiToken: String?
    @Option(help: .setting("api-rate-limit")) var apiRateLimit: String?
    @Flag(help: .setting("no-landing")) var noLanding = false
}
