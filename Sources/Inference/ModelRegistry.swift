import Foundation
public import ImageProcessing
public import ServiceLifecycle

/// The models a worker or server loaded from its `--models` folder, each behind its own
/// ``ModelBatcher``; a ``Service`` that runs every batcher while it runs.
public final class ModelRegistry: Service {
    /// Batchers by model name.
    public let batchers: [String: ModelBatcher]
    /// The runtime that loaded them.
    public let runtimeName: String

    /// No models.
    public static let empty = ModelRegistry(batchers: [:], runtimeName: "none")

    init(batchers: [String: ModelBatcher], runtimeName: String) {
        self.batchers = batchers
        self.runtimeName = runtimeName
    }

    /// The specs of the `*.yaml` and `*.yml` files in `folder`, read but not loaded (what a
    /// server that only queues jobs needs to know of them).
    /// - Throws: ``InferenceError`` naming the file and field, or two specs of one name.
    public static func specs(in folder: String) throws(InferenceError) -> [ModelSpec] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .invalidSpec(file: folder, field: "(folder)", expected: "a readable folder of model specs")
        }
        var specs: [ModelSpec] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let spec = try ModelSpec.read(file: (folder as NSString).appendingPathComponent(name))
            if let other = specs.first(where: { $0.name == spec.name }) {
                throw .invalidSpec(file: name, field: "name", expected: "a name no other spec uses ('\(spec.name)' is also \(other.path)'s)")
            }
            specs.append(spec)
        }
        return specs
    }

    /// Loads and checks every spec in `folder` with `runtime`, passes running on `pool`.
    /// - Throws: ``InferenceError`` for the first spec or model that is wrong: a start-up error.
    public static func load(folder: String, runtime: any ModelRuntime, pool: PixelPool) async throws(InferenceError) -> ModelRegistry {
        var batchers: [String: ModelBatcher] = [:]
        for spec in try specs(in: folder) {
            batchers[spec.name] = ModelBatcher(model: try await LoadedModel(spec, runtime: runtime, pool: pool))
        }
        return ModelRegistry(batchers: batchers, runtimeName: runtime.name)
    }

    /// The batcher of the model `name`.
    /// - Throws: ``InferenceError/unknownModel(_:)``.
    public func batcher(named name: String) throws(InferenceError) -> ModelBatcher {
        guard let batcher = batchers[name] else { throw .unknownModel(name) }
        return batcher
    }

    /// Runs every batcher until graceful shutdown. With no models it still waits for it: a
    /// service that returns early makes its ServiceGroup shut everything down.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for batcher in batchers.values { group.addTask { try await batcher.run() } }
            group.addTask { try? await gracefulShutdown() }
        }
    }
}
