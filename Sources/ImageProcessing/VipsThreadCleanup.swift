import Vips

/// Frees libvips' per-thread state when a pool thread ends.
enum VipsThreadCleanup {
    static func run() { VipsRuntime.releaseThreadResources() }
}
