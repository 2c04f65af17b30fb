import ArgumentParser
import Foundation
import ImageProcessing
import Vips

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
    var files: [String]

    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file") }
    }

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        var failed = false
        for file in files {
            var object: [String: Any] = ["file": file]
            do {
                let header = try processor.probe(.file(file))
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                object.merge([
                    "format": header.format, "width": header.width, "height": header.height,
                    "bands": header.bands, "orientation": header.orientation, "alpha": header.hasAlpha,
                    "pages": header.pages, "icc": header.hasICCProfile, "bytes": size,
                ]) { $1 }
            } catch {
                failed = true
                object["error"] = String(describing: error)
            }
            let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            FileHandle.standardOutput.write(json + Data("\n".utf8))
        }
        if failed { throw ExitCode(1) }
    }
}
