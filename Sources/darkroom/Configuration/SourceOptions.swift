import ArgumentParser

/// Which http(s) and s3 sources may be fetched, and how. Shared by `serve` and `worker`.
struct SourceOptions: SettingGroup {
    @Option(help: .setting("allowed-sources")) var allowedSources: [String] = []
    @Flag(help: .setting("allow-internal-sources")) var allowInternalSources = false
    @Option(help: .setting("max-redirects")) var maxRedirects: String?
    @Option(help: .setting("source-timeout")) var sourceTimeout: String?
    @Option(help: .setting("stream-sources")) var streamSources: [String] = []
    @Option(help: .setting("stream-timeout")) var streamTimeout: String?
}
