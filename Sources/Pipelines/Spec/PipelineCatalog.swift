public import Foundation
public import Inference

/// The loaded pipelines, by name.
public struct PipelineCatalog: Sendable {
    public let pipelines: [String: Pipeline]

    /// A catalog of these pipelines. - Precondition: names are distinct.
    public init(_ pipelines: [Pipeline] = []) {
        self.pipelines = Dictionary(pipelines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads every `*.yaml`, `*.yml` and `*.json` file in `directory`.
    ///
    /// - Throws: ``PipelineError/invalidSpec(file:field:expected:)`` for the first bad file,
    ///   or when two files declare the same name.
    public init(directory: URL) throws(PipelineError) {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml", "json"].contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw .invalidSpec(file: directory.path, field: "(directory)", expected: "a readable directory of pipeline specs")
        }
        var loaded: [String: Pipeline] = [:]
        var origin: [String: String] = [:]
        for file in files {
            let pipeline = try Pipeline(contentsOf: file)
            if let first = origin[pipeline.name] {
                throw .invalidSpec(file: file.lastPathComponent, field: "name", expected: "a name not already used by \(first)")
            }
            loaded[pipeline.name] = pipeline
            origin[pipeline.name] = file.lastPathComponent
        }
        self.pipelines = loaded
    }

    /// The pipeline named `name`. - Throws: ``PipelineError/unknownPipeline(_:)``.
    public func pipeline(named name: String) throws(PipelineError) -> Pipeline {
        guard let pipeline = pipelines[name] else { throw .unknownPipeline(name) }
        return pipeline
    }

    /// The names, sorted.
    public var names: [String] { pipelines.keys.sorted() }

    /// The catalog with each pipeline's models checked against `specs` (the `--models` folder)
    /// and their resources added to the pipeline's, so that the scheduler places a job on a
    /// worker that can run every model it names (a GPU share sends it to a GPU worker).
    /// - Throws: ``PipelineError/invalidSpec(file:field:expected:)`` for a model no spec names.
    public func requiring(models specs: [ModelSpec]) throws(PipelineError) -> PipelineCatalog {
        let byName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var updated: [Pipeline] = []
        for var pipeline in pipelines.values {
            for (index, name) in pipeline.models.enumerated() {
                guard let spec = byName[name] else {
                    throw .invalidSpec(file: pipeline.name, field: "models[\(index)]",
                                       expected: "a model in --models (\(byName.keys.sorted().joined(separator: ", "))), not '\(name)'")
                }
                pipeline.require(spec.resources)
            }
            updated.append(pipeline)
        }
        return PipelineCatalog(updated)
    }
}
