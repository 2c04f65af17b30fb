import ArgumentParser
import Foundation
#if canImport(Glibc)
/// glibc's `mallopt`, which Swift's Glibc module does not export (it lives in malloc.h).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// The `darkroom` command: one binary for every way of running Darkroom.
@main
struct Darkroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "Process images at high volume with libvips.",
        discussion: """
            Examples:
              darkroom info photo.jpg
              darkroom transform photo.jpg thumb.webp --recipe 'rs:fill:300:200/q:80'
              darkroom process --recipe 'rs:fit:400:400/q:80' --output out/ photos/
            """,
        subcommands: [ServeCommand.self, InfoCommand.self, TransformCommand.self, ProcessCommand.self, ObjectsCommand.self])

    /// Runs the command line, mapping usage errors to exit code 2 (ArgumentParser's default is 64).
    static func main() async {
        #if canImport(Glibc)
        // glibc gives every thread that allocates its own arena, and raises its mmap threshold
        // up to 32 MB as large blocks are freed, so libvips' big short-lived decode buffers
        // fragment the heap. Two arenas and a fixed 16 MB threshold (larger blocks go back to the
        // system on free) measured peak RSS 429 → ~250 MB on plain load and 302–350 → 248–276 MB
        // on the mixed one, for 5–10% of uncached throughput (bench/server.py).
        _ = mallopt(-8 /* M_ARENA_MAX */, 2)
        _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 16 << 20)
        #endif
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
