import ArgumentParser
import Foundation
import Similarity
import Logging

/// `--index`, for `index`, `search` and their kin: read through the settings table, so
/// `DARKROOM_INDEX` and the default are the ones `serve` uses.
struct IndexOption: ParsableArguments {
    @Option(help: .setting("index")) var index: String?

    /// The index's location: the flag, else `DARKROOM_INDEX`, else beside the queue's database
    /// (`DARKROOM_QUEUE`), as `serve` and `worker` place it.
    var location: SimilarityIndexLocation {
        get throws {
            let environment = ProcessInfo.processInfo.environment.filter { ["DARKROOM_INDEX", "DARKROOM_QUEUE"].contains($0.key) }
            let flags = index.map { [("index", $0)] } ?? []
            let configuration = try ValidationError.wrapping { () throws(ConfigurationError) in
                try DarkroomConfiguration.resolved(file: nil, environment: environment, flags: flags)
            }
            return try SimilarityIndexLocation(configuration.resolvedIndex)
        }
    }

    func validate() throws {
        _ = try location
    }

    /// Runs `body` with the open index, verifying keypoints on `executor`.
    func withIndex<T: Sendable>(executor: SimilarityExecutor = .inline,
                                _ body: @escaping @Sendable (any SimilarityIndex) async throws -> T) async throws -> T {
        try await IndexOpener.withIndex(try location, logger: Logger(label: "darkroom.index"), executor: executor, body)
    }
}
