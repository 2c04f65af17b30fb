import Foundation
import Testing
@testable import Vips

/// Which libvips the process runs on. The default build links the maintainers' self-contained
/// 8.18 library, which carries GLib inside it: a second libvips or GLib in the process (say,
/// Debian's pulled in by a stray link flag) would split GObject's type system in two.
@Suite("Engine")
struct EngineTests {
    /// The shared objects mapped into this process, by file name.
    private static func mappedLibraries() throws -> Set<String> {
        // /proc files report a size of 0, so read to the end rather than by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return [] }
        defer { try? handle.close() }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var names = Set<String>()
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = line[slash...]
            if let name = path.split(separator: "/").last { names.insert(String(name)) }
        }
        return names
    }

    @Test("exactly one libvips and one GLib are mapped into the process")
    func oneLibvipsOneGLib() throws {
        try VipsRuntime.start()
        let libraries = try Self.mappedLibraries()
        #expect(libraries.contains { $0.hasPrefix("libswiftCore") }, "/proc/self/maps was not read")
        let libvips = libraries.filter { $0.hasPrefix("libvips") && $0.contains(".so") }
        let glib = libraries.filter { $0.hasPrefix("libglib-2.0.so") }
        let gobject = libraries.filter { $0.hasPrefix("libgobject-2.0.so") }
        #expect(libvips.count == 1, "libvips mapped: \(libvips.sorted())")
        // The wheel's library (libvips-<hash>.so.42) exports GLib itself, so no other may be
        // mapped; the distribution's libvips.so.42 brings exactly one system GLib.
        if libvips.contains(where: { $0.hasPrefix("libvips-") }) {
            #expect(glib.isEmpty && gobject.isEmpty, "a second GLib: \(glib.sorted()) \(gobject.sorted())")
        } else {
            #expect(glib.count == 1 && gobject.count == 1, "GLib mapped: \(glib.sorted()) \(gobject.sorted())")
        }
    }

    @Test("the build runs on the libvips it was built for")
    func expectedVersion() throws {
        // `make` exports the engine version that scripts/bootstrap installed; a plain
        // `swift test` (or LIBVIPS=system) has no expectation beyond a working libvips.
        let expected = ProcessInfo.processInfo.environment["DARKROOM_EXPECT_LIBVIPS"] ?? ""
        try VipsRuntime.start()
        #expect(VipsRuntime.version.split(separator: ".").count == 3)
        if !expected.isEmpty {
            #expect(VipsRuntime.version == expected)
        }
    }

    @Test("savers use `keep` where libvips has it: every flag when keeping, only the gain map when stripping")
    func keepOption() throws {
        try VipsRuntime.start()
        let parts = VipsRuntime.version.split(separator: ".").compactMap { Int($0) }
        let hasKeep = parts.count == 3 && (parts[0], parts[1]) >= (8, 15)
        let dropped = VipsRuntime.metadataOption(strip: true)
        let kept = VipsRuntime.metadataOption(strip: false)
        if hasKeep {
            // exif, xmp, iptc, icc and other are 31; 8.18 adds gainmap (32), which stripping
            // keeps (a gain map is image data; stale ones are dropped before saving).
            let gainMap: Int32 = (parts[0], parts[1]) >= (8, 18) ? 32 : 0
            #expect(dropped.name == "keep" && dropped.value == gainMap)
            #expect(kept.name == "keep" && kept.value & 31 == 31 && kept.value & gainMap == gainMap)
        } else {
            #expect(dropped == ("strip", 1) && kept == ("strip", 0))
        }
    }
}
