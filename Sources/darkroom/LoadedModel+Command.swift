import ArgumentParser
import ImageProcessing
import Inference
import Vision

extension LoadedModel {
    /// The model of the spec file at `path`, loaded and checked for a command; a bad spec or
    /// model is reported (file and field) and ends the command with exit 2, a usage error.
    static func forCommand(spec path: String, pool: PixelPool) async throws -> LoadedModel {
        do {
            return try await LoadedModel(try ModelSpec.read(file: path), runtime: OpenCVRuntime(), pool: pool)
        } catch {
            printError("darkroom: \(error)")
            throw ExitCode(2)
        }
    }

    /// Predictions for the inputs of one slice of images that were read: each with its position
    /// in the slice. The images that failed are reported on standard error and added to
    /// `failures`. What `predict` and `audit` share.
    func predictions(_ measured: [ImageBatch<InputTensor>.Measured], failures: inout [any Error]) async throws
        -> [(position: Int, path: String, prediction: Prediction)] {
        var ready: [(position: Int, path: String, input: InputTensor)] = []
        for (position, entry) in measured.enumerated() {
            switch entry.result {
            case let .success(input): ready.append((position, entry.item.path, input))
            case let .failure(error):
                failures.append(error)
                printError("darkroom: \(entry.item.path): \(error)")
            }
        }
        let predictions = try await run(ready.map(\.input))
        return zip(ready, predictions).map { ($0.position, $0.path, $1) }
    }
}
