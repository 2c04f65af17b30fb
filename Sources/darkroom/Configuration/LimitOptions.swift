import ArgumentParser

/// The limits every source is held to before it is decoded. Shared by `serve` and `worker`.
struct LimitOptions: SettingGroup {
    @Option(help: .setting("max-src-pixels")) var maxSrcPixels: String?
    @Option(help: .setting("max-src-bytes")) var maxSrcBytes: String?
    @Option(help: .setting("max-output-side")) var maxOutputSide: String?
    @Option(help: .setting("max-frames")) var maxFrames: String?
}
