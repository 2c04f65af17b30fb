public import CoreMetrics
import Foundation
public import ImageProcessing
import Metrics
public import Vision

/// A model ready to predict: its spec, its network (validated against the spec when loaded), and
/// the pixel pool its passes run on, as every blocking computation does.
///
/// ``run(_:)`` runs a batch the caller gathered (the CLI's); ``ModelBatcher`` gathers the
/// requests of concurrent jobs into such batches.
public final class LoadedModel: Sendable {
    public let spec: ModelSpec
    /// The runtime that loaded it (`opencv-cpu`).
    public let runtimeName: String
    let network: any LoadedNetwork
    let pool: PixelPool
    let metrics: any MetricsFactory

    /// Loads `spec`'s network with `runtime` and validates it: one pass over a blank input of the
    /// spec's shape must succeed and give an output the task can read (the labels' count of
    /// scores, a YOLO or SSD layout). A mismatch is an error now, not at the first job.
    /// - Throws: ``InferenceError/invalidModel(file:problem:)``.
    public init(_ spec: ModelSpec, runtime: any ModelRuntime, pool: PixelPool,
                metrics: any MetricsFactory = MetricsSystem.factory) async throws(InferenceError) {
        guard let file = try? Data(contentsOf: URL(fileURLWithPath: spec.path), options: .mappedIfSafe) else {
            throw .invalidModel(file: spec.path, problem: "cannot be read")
        }
        if let problem = try ONNXGraphInputs(file, file: spec.path).problem(with: spec.input) {
            throw .invalidModel(file: spec.path, problem: "does not take the spec's input: \(problem)")
        }
        let network = try runtime.load(spec)
        let blank = Tensor(shape: spec.input.shape(batch: 1), values: [Float](repeating: 0, count: spec.input.shape(batch: 1).reduce(1, *)))
        let output: Tensor
        do {
            output = try await pool.run { _ in try network.forward(blank) }
        } catch let error as InferenceError {
            if case let .inferenceFailed(_, problem) = error {
                throw .invalidModel(file: spec.path, problem: "does not take the spec's input \(spec.input.shape(batch: 1)) "
                                    + "(\(spec.input.layout.rawValue)\(spec.input.name.map { ", named '\($0)'" } ?? "")): \(problem)")
            }
            throw error
        } catch {
            throw .invalidModel(file: spec.path, problem: "could not be tried: \(error)")
        }
        if let problem = OutputDecoder.problem(with: output.shape, for: spec.task) {
            throw .invalidModel(file: spec.path, problem: "its output does not fit the task \(spec.task.name): \(problem)")
        }
        self.spec = spec
        runtimeName = runtime.name
        self.network = network
        self.pool = pool
        self.metrics = metrics
    }

    /// One forward pass over `inputs` as one batch (split into passes of the spec's batch size),
    /// on the pixel pool; one prediction per input, in order.
    /// - Throws: ``InferenceError/inferenceFailed(model:problem:)``, ``InferenceError/timedOut(model:milliseconds:)``
    ///   past the spec's `timeout_ms`, or the pool's overload error.
    public func run(_ inputs: [InputTensor]) async throws -> [Prediction] {
        let outputs = try await forward(inputs.map(\.tensor))
        // Decoding a detector's thousands of boxes is CPU work too: on the pool.
        let spec = spec
        return try await pool.run { _ in zip(outputs, inputs).map { OutputDecoder.decode($0, model: spec, input: $1) } }
    }

    /// The raw outputs of `items` (each with an outermost dimension of 1), in passes of at most
    /// the spec's batch size, on the pixel pool.
    public func forward(_ items: [Tensor]) async throws -> [Tensor] {
        var outputs: [Tensor] = []
        let size = max(1, spec.batch.maxSize)
        for start in stride(from: 0, to: items.count, by: size) {
            let batch = Tensor.stacking(Array(items[start..<min(items.count, start + size)]))
            let network = network
            let started = ContinuousClock.now
            let limit = spec.timeoutMilliseconds
            let output: Tensor
            do { output = try await pool.run(within: .milliseconds(limit)) { _ in try network.forward(batch) } } catch is PixelPoolTimeout {
                throw InferenceError.timedOut(model: spec.name, milliseconds: limit)
            }
            Timer(label: "darkroom_inference_seconds", dimensions: [("model", spec.name)], factory: metrics)
                .record(duration: ContinuousClock.now - started)
            Recorder(label: "darkroom_inference_batch_size", dimensions: [("model", spec.name)], factory: metrics)
                .record(batch.shape[0])
            guard output.shape.first == batch.shape[0] else {
                throw InferenceError.inferenceFailed(model: spec.name,
                                                     problem: "a batch of \(batch.shape[0]) gave an output of \(output.shape)")
            }
            outputs += (0..<batch.shape[0]).map(output.item)
        }
        return outputs
    }
}
