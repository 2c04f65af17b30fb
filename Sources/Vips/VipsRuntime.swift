import CVips
import Foundation
import Synchronization

/// The process-wide libvips runtime.
///
/// libvips is initialised exactly once, on first use, with the operation cache turned off
/// (a server would otherwise keep decoded images alive behind its back) and the risky
/// loaders for untrusted input (ImageMagick, PDF, SVG, MATLAB…) blocked.
/// Every public entry point of this module calls ``start()`` first, so callers never need to.
public enum VipsRuntime {
    private static let initialised: Result<Void, VipsError> = {
        // libvips prints decoder warnings (a stray nclx profile, say) to stderr; failures that
        // matter are reported as errors, so warnings stay quiet unless VIPS_WARNING is set.
        setenv("VIPS_WARNING", "0", 0)
        if vips_init("darkroom") != 0 {
            return .failure(VipsRuntime.takeError("vips_init"))
        }
        vips_cache_set_max(0)
        vips_cache_set_max_mem(0)
        vips_cache_set_max_files(0)
        // One libvips worker per call: Darkroom parallelises across images, one pool thread
        // per core, which measured 30 ms/image against 46 ms with oversubscription.
        vips_concurrency_set(1)
        vips_block_untrusted_set(1)
        // The engine's own allow-list, under the sniffing one in ImageProcessing: every loader
        // is blocked but the formats Darkroom serves, so no path into libvips (a file load, a
        // buffer a caller did not sniff) can reach SVG, PDF, JPEG XL or whatever else a newer
        // libvips build brings. Names a build lacks (Uhdr before 8.18) are skipped.
        vips_operation_block_set("VipsForeignLoad", 1)
        for loader in servedLoaderClasses where g_type_from_name(loader) != 0 {
            vips_operation_block_set(loader, 0)
        }
        started.store(true, ordering: .releasing)
        return .success(())
    }()

    private static let started = Atomic<Bool>(false)

    /// The loader classes left unblocked: JPEG (with Ultra HDR gain maps), PNG, WebP, GIF,
    /// TIFF and HEIF/AVIF.
    public static let servedLoaderClasses = [
        "VipsForeignLoadJpeg", "VipsForeignLoadUhdr", "VipsForeignLoadPng", "VipsForeignLoadWebp",
        "VipsForeignLoadNsgif", "VipsForeignLoadTiff", "VipsForeignLoadHeif",
    ]

    /// Initialises libvips if that has not happened yet.
    ///
    /// - Throws: ``VipsError`` when libvips cannot start (a broken installation).
    public static func start() throws(VipsError) {
        try initialised.get()
    }

    /// Sets how many threads libvips itself uses inside one operation.
    ///
    /// - Parameter threads: threads per operation; 1 (the default) suits a server that runs
    ///   one image per core.
    public static func setConcurrency(_ threads: Int) throws(VipsError) {
        try start()
        vips_concurrency_set(Int32(max(1, threads)))
    }

    /// How many threads libvips uses inside one operation.
    public static var concurrency: Int {
        _ = try? start()
        return Int(vips_concurrency_get())
    }

    /// The libvips version, such as `8.14.1`.
    public static var version: String {
        "\(vips_version(0)).\(vips_version(1)).\(vips_version(2))"
    }

    /// The saver option and value that drop (`strip`) or keep metadata: `keep` where libvips
    /// has it (8.15 and later), else the older boolean `strip`.
    ///
    /// Stripping keeps one thing: an Ultra HDR gain map. It is image data rather than
    /// metadata (an HDR display needs it to show the highlights), and a map that no longer
    /// matches the pixels is dropped from the image before it is saved, never here.
    static func metadataOption(strip: Bool) -> (name: String, value: Int32) {
        guard let keepAll else { return ("strip", strip ? 1 : 0) }
        return ("keep", strip ? keepGainMap : keepAll)
    }

    /// `VipsForeignKeep`'s `all` (8.18 added `gainmap` to it) and `gainmap` (0 before 8.18),
    /// read from the running libvips; nil before 8.15, which has no such type.
    private static let keepAll: Int32? = keepFlag("all")
    private static let keepGainMap: Int32 = keepFlag("gainmap") ?? 0

    private static func keepFlag(_ nick: String) -> Int32? {
        guard (try? start()) != nil else { return nil }
        let type = g_type_from_name("VipsForeignKeep")
        guard type != 0 else { return nil }
        // An unknown nick leaves a message behind, which must not clear anyone else's.
        let value = VipsErrorChannel.quietly { () -> Int32? in
            let value = vips_flags_from_nick("darkroom", type, nick)
            return value >= 0 ? value : nil
        } ?? -1
        guard value >= 0 else {
            return nil
        }
        return value
    }

    /// Whether this libvips can write HEIC: libheif needs an HEVC encoder plugin (x265), which
    /// the 8.18 wheel does not carry and a distribution's libheif may. Found by encoding a
    /// tiny image once, since libvips has no other way to ask.
    public static let savesHEIC: Bool = {
        guard let probe = try? VipsImage.fromPixels([UInt8](repeating: 128, count: 16 * 16 * 3),
                                                    width: 16, height: 16, bands: 3) else { return false }
        do {
            _ = try probe.encoded(.heic(quality: 50, effort: 0, strip: true))
            return true
        } catch {
            return false
        }
    }()

    /// Releases libvips' per-thread buffers; call it on a thread that used libvips before it exits.
    public static func releaseThreadResources() {
        // Before vips_init there is nothing to release, and GLib would crash trying.
        guard started.load(ordering: .acquiring) else { return }
        vips_thread_shutdown()
    }

    /// Reads libvips' error buffer and clears it in the same step: only for `vips_init`, which
    /// runs before any other call (every later call goes through ``VipsErrorChannel``).
    static func takeError(_ operation: String) -> VipsError {
        guard let raw = vips_error_buffer_copy() else {
            return VipsError(operation: operation, message: "")
        }
        defer { g_free(raw) }
        let message = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return VipsError(operation: operation, message: message)
    }
}
