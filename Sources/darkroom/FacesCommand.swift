import ArgumentParser
import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing

/// `darkroom faces`: the faces in images, as JSON lines.
struct FacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "Find faces: one JSON line per image with each face's box, score and landmarks.",
        discussion: """
            Boxes and landmarks are in the upright image's pixels. The detector is CenterFace
            unless --face-detector says mtcnn or haar; its networks come from scripts/bootstrap
            (--face-models). An image with no face, or too small to hold one, gives "faces": [].
            Images that fail are reported on standard error (exit 1, or 2 when only refused
            formats failed).

            Examples:
              darkroom faces team.jpg
              darkroom faces --face-detector mtcnn photos/
            """)

    @Option(help: "The longer side, in pixels, of the copy faces are looked for in: larger finds smaller faces, slower.")
    var size: Int = 640

    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        // CenterFace's activations grow with the square of the side: 1600 bounds them near a gigabyte.
        guard (64...1600).contains(size) else { throw ValidationError("--size must be in 64...1600, got \(size)") }
    }
    @Argument(help: "Images, folders or s3:// prefixes.") var images: [String]

    func run() async throws {
        let processor = options.makeProcessor(detecting: true)
        defer { processor.pool.shutdown() }
        // The detector is needed for every image: refuse at once, not once per image.
        guard processor.detector != nil else {
            printError("darkroom faces: \(processor.detectorAbsence)")
            throw ExitCode.failure
        }
        let reader = FaceReader(processor: processor, longestSide: size)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failures: [any Error] = []
        try await ImageBatch.inSlices(images, size: 256, concurrency: options.jobs, maxBytes: options.maxSrcBytes) { data in
            try await reader.faces(of: .bytes(data))
        } each: { measured in
            for entry in measured {
                switch entry.result {
                case let .success(faces):
                    print(String(decoding: try encoder.encode(FacesLine(file: entry.item.path, faces: faces)), as: UTF8.self))
                case let .failure(error):
                    printError("\(entry.item.path): \(error)")
                    failures.append(error)
                }
            }
        }
        let status = ExitCode.forImageFailures(failures)
        if status != .success { throw status }
    }
}

/// One line of `darkroom faces`.
struct FacesLine: Encodable {
    let file: String
    let faces: [DetectedObject]
}
