import ArgumentParser
import Foundation
import Pipelines

extension Pipeline {
    /// The pipeline a command's `--pipeline` names: a spec file, or else a pipeline's name in
    /// the `--pipelines` folder (without which a name that is not a file is a usage error).
    static func forCommand(_ pipeline: String, pipelines: String?) throws -> Pipeline {
        if FileManager.default.fileExists(atPath: pipeline) {
            return try Pipeline(contentsOf: URL(fileURLWithPath: pipeline))
        }
        guard let pipelines else {
            throw ValidationError("--pipeline: \(pipeline) is not a file; give --pipelines DIR to look it up by name")
        }
        return try PipelineCatalog(directory: URL(fileURLWithPath: pipelines)).pipeline(named: pipeline)
    }
}
