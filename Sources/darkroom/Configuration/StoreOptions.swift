import ArgumentParser

/// Where things live and how this process logs: the object store, the queue, the pipeline
/// specs and the folder of local sources. Shared by `serve` and `worker`.
struct StoreOptions: SettingGroup {
    @Option(help: .setting("storage")) var storage: String?
    @Option(help: .setting("queue")) var queue: String?
    @Option(help: .setting("index")) var index: String?
    @Option(help: .setting("pipelines")) var pipelines: String?
    @Option(help: .setting("models")) var models: String?
    @Option(help: .setting("face-detector")) var faceDetector: String?
    @Option(help: .setting("face-models")) var faceModels: String?
    @Option(help: .setting("local-root")) var localRoot: String?
    @Option(help: .setting("bind")) var bind: String?
    @Option(help: .setting("log-level")) var logLevel: String?
    @Option(help: .setting("startup-timeout")) var startupTimeout: String?
    @Option(help: .setting("otlp-endpoint")) var otlpEndpoint: String?
}
