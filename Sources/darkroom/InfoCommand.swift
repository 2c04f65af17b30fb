import ArgumentParser
import Foundation
import ImageProcessing
import Vips
import ImageModel
import Pipelines

/// `darkroom info`: header facts as JSON, without decoding pixels.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print each image's format, size and metadata as JSON, one object per line.",
        discussion: """
            Only headers are read; no pixel is decoded.

            Example:
              darkroom info photo.jpg scans/page.tif
              {"alpha":false,"bands":3,"bytes":61306,"file":"photo.jpg","format":"jpeg","height":600,...}
            """)

    @Argument(help: "Image files.")
    var files: [String] = []

    @Flag(help: "Print the libvips version and the loaders and savers it has, marking the blocked ones, as JSON.")
    var formats = false

    @Flag(help: "Show DICOM patient name, ID, birth date and sex (left out by default).")
    var dicomPatientData = false

    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        if files.isEmpty && !formats { throw ValidationError("give at least one file, or --formats") }
    }

    func run() async throws {
        if formats {
            try printFormats()
            if files.isEmpty { return }
        }
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        var failures: [any Error] = []
        for file in files {
            var line: InfoLine
            do {
                var header = try processor.probe(.file(file))
                if !dicomPatientData { header.dicom?.patient = nil }
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                line = InfoLine(file: file, header: header, bytes: size, error: nil)
            } catch {
                failures.append(error)
                line = InfoLine(file: file, header: nil, bytes: nil, error: String(describing: error))
            }
            let json = try WireFormat.encoder().encode(line)
            FileHandle.standardOutput.write(json + Data("\n".utf8))
        }
        let status = ExitCode.forImageFailures(failures)
        if status != .success { throw status }
    }

    /// The engine's loaders (served or blocked) and savers, as one JSON object.
    private func printFormats() throws {
        struct Formats: Encodable {
            let libvips: String
            let loaders: [String: String]
            let savers: [String]
        }
        let operations = try ForeignOperation.all()
        let loaders = Dictionary(operations.filter { $0.kind == .load }.map { ($0.name, $0.blocked ? "blocked" : "served") },
                                 uniquingKeysWith: { first, _ in first })
        let formats = Formats(libvips: VipsRuntime.version, loaders: loaders,
                              savers: operations.filter { $0.kind == .save }.map(\.name))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(formats), as: UTF8.self))
    }
}
