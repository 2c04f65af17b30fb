import ArgumentParser
import ImageProcessing
import Inference

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
}
