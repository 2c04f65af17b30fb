import ArgumentParser
import Foundation
import Vips

#if canImport(Glibc)
/// glibc's `mallopt`, which Swift's Glibc module does not export (it lives in malloc.h).
@_silgen_name("mallopt")
func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
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
        version: "\(version) (libvips \(VipsRuntime.version))",
        subcommands: [ServeCommand.self, WorkerCommand.self, SubmitCommand.self, JobsCommand.self, WorkersCommand.self, SimulateCommand.self, InfoCommand.self, TransformCommand.self, ProcessCommand.self, PyramidCommand.self, ObjectsCommand.self, QueueCommand.self, ConfigCommand.self, IndexCommand.self, SearchCommand.self, DedupeCommand.self, PredictCommand.self, FacesCommand.self, InspectCommand.self, ExplainCommand.self, AuditCommand.self, ModelBenchCommand.self, KeysCommand.self, HealthCommand.self, DICOMCommand.self, StoryboardCommand.self, MotionCommand.self, StreamsCommand.self])

    /// The version workers report to the registry.
    static let version = "0.3.0"

    /// Runs the command line, mapping usage errors to exit code 2 (ArgumentParser's default is 64).
    static func main() async {
        #if canImport(Glibc)
        // glibc gives every thread that allocates its own arena (up to 8 per core), and each
        // keeps what it freed, so pixel threads hold on to libvips' large decode buffers. Two
        // arenas bound that in every command; `serve` also fixes the mmap threshold (see there).
        _ = mallopt(-8 /* M_ARENA_MAX */, 2)
        #endif
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
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
