import ArgumentParser
import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import Logging

/// Limits and resources shared by every command that decodes images.
struct ProcessingOptions: ParsableArguments {
    @Option(help: "Largest source file, in bytes.")
    var maxSrcBytes: Int = Limits().maxInputBytes

    @Option(help: "Largest source, in pixels (width × height).")
    var maxSrcPixels: Int = Limits().maxInputPixels

    @Option(help: "Longest side of a result, in pixels.")
    var maxOutputSide: Int = Limits().maxOutputSide

    @Option(help: "Most frames or pages in a source.")
    var maxFrames: Int = Limits().maxFrames

    @Option(help: "Image file drawn by the 'wm' (watermark) option.")
    var watermark: String?

    @Option(help: "What finds faces for g:obj:face, bd and dd: centerface, mtcnn, haar or none.")
    var faceDetector: String = "centerface"

    @Option(help: "Folder with the face networks that scripts/bootstrap unpacks.")
    var faceModels: String = FaceModels.defaultFolder

    @Option(name: .shortAndLong, help: "Pixel threads (default: one per core).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    var limits: Limits {
        Limits(maxInputBytes: maxSrcBytes, maxInputPixels: maxSrcPixels, maxOutputSide: maxOutputSide, maxFrames: maxFrames)
    }

    func validate() throws {
        guard maxSrcBytes > 0, maxSrcPixels > 0, maxOutputSide > 0, maxFrames > 0 else {
            throw ValidationError("limits must be positive")
        }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be in 1...256, got \(jobs)") }
        guard faceDetector == "none" || FaceDetectorKind(rawValue: faceDetector) != nil else {
            throw ValidationError("--face-detector must be centerface, mtcnn, haar or none, got '\(faceDetector)'")
        }
        if let watermark, !FileManager.default.isReadableFile(atPath: watermark) {
            throw ValidationError("--watermark: cannot read '\(watermark)'")
        }
    }

    /// Builds the processor these options describe. The face detector is loaded only when
    /// `detecting`, or when one of `recipes` looks for faces: a network costs a fraction of a
    /// second to read.
    func makeProcessor(for recipes: [Recipe] = [], detecting: Bool = false) -> ImageProcessor {
        let mark = watermark.flatMap { FileManager.default.contents(atPath: $0) }
        let pool = PixelPool(threads: jobs, maxQueued: jobs * 4)
        var logger = Logger(label: "darkroom")
        logger.logLevel = .warning
        let processor = ImageProcessor(limits: limits, pool: pool, watermark: mark, logger: logger)
        guard detecting || recipes.contains(where: { $0.operations.contains { !$0.detectedClasses.isEmpty } }) else { return processor }
        return FaceDetectorLoader.processor(processor, kind: faceDetector, folder: faceModels, logger: logger)
    }
}

/// Parses a recipe option, turning a grammar error into a usage error that names the option.
func parseRecipe(_ text: String) throws -> Recipe {
    do {
        return try Recipe(parsing: text)
    } catch {
        throw ValidationError("--recipe: \(error)")
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
