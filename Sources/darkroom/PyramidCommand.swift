import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing

/// `darkroom pyramid`: a tiled, pyramidal TIFF for fast deep zoom.
struct PyramidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyramid",
        abstract: "Write a tiled, pyramidal TIFF (JPEG-compressed tiles) for fast deep zoom.",
        discussion: """
            Each level halves the one above, in 256-pixel tiles, so the IIIF endpoint (and any
            deep-zoom viewer) reads only the tiles of the level it needs.

            Example:
              darkroom pyramid scan.jpg scan.tif --quality 85
            """)

    @Argument(help: "The input image.") var input: String
    @Argument(help: "The pyramid to write (.tif).") var output: String
    @Option(help: "JPEG quality of the tiles, 1-100.") var quality: Int = 85
    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100, got \(quality)") }
        guard ["tif", "tiff"].contains((output as NSString).pathExtension.lowercased()) else {
            throw ValidationError("the pyramid is a TIFF: name it .tif, got '\(output)'")
        }
    }

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let recipe = try Recipe(output: OutputSpec(format: .tiff, quality: quality, encoder: EncoderOptions(pyramid: true)))
        do {
            let result = try await processor.run(recipe, on: .file(input))
            try result.data.write(to: URL(fileURLWithPath: output), options: .atomic)
            print("\(output): \(result.width)×\(result.height), \(result.data.count) bytes")
        } catch {
            printError("darkroom: \(input): \(error)")
            throw ExitCode(1)
        }
    }
}
