import ArgumentParser
import Similarity
import SimilaritySQLite

/// `--index`, for `index`, `search` and their kin: read through the settings table, so
/// `DARKROOM_INDEX` and the default are the ones `serve` uses.
struct IndexOption: ParsableArguments {
    @Option(help: .setting("index")) var index: String?

    /// The index's location: the flag, else `DARKROOM_INDEX`, else the default.
    var location: SimilarityIndexLocation {
        get throws {
            try SimilarityIndexLocation(try ValidationError.wrapping { () throws(ConfigurationError) in
                try DarkroomConfiguration.value(of: "index", flag: index)
            })
        }
    }

    func validate() throws {
        _ = try location
    }

    /// Opens the index.
    func open() throws -> any SimilarityIndex {
        try Self.open(try location)
    }

    /// Opens the index at `location`.
    static func open(_ location: SimilarityIndexLocation) throws(SimilarityError) -> any SimilarityIndex {
        switch location {
        case .memory: MemorySimilarityIndex()
        case let .sqlite(path): try SQLiteSimilarityIndex(path: path)
        }
    }
}
