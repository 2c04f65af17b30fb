import ArgumentParser
import Foundation
import ImageProcessing
import Inference
import JobQueue
import Vision

/// `darkroom model-bench`: forward-pass throughput and latency of a model at several batch sizes.
struct ModelBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-bench",
        abstract: "Time a model's forward passes at several batch sizes: one JSON line per size.",
        discussion: """
            Runs --images synthetic inputs of the spec's shape through the model in batches of each
            size, one pass at a time on one pixel thread (as a worker's batcher does), after one
            warm-up pass. Prints images a second and the p50 and p99 time of one pass: a request
            that joins a batch of N waits for that pass (plus at most the spec's max_wait_ms)
            instead of a pass of 1.

            Example:
              darkroom model-bench --model models/classifier.yaml --batch 1,8,32 --images 256
            """)

    @Option(help: "The model spec (YAML).") var model: String
    @Option(help: "Batch sizes, comma-separated.") var batch: String = "1,8,32"
    @Option(help: "Inputs per batch size.") var images: Int = 256

    func validate() throws {
        guard (1...100_000).contains(images) else { throw ValidationError("--images: expected 1...100000") }
        guard !sizes.isEmpty, sizes.allSatisfy({ (1...256).contains($0) }) else { throw ValidationError("--batch: expected sizes in 1...256, such as 1,8,32") }
    }

    var sizes: [Int] { batch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        let pool = PixelPool(threads: 1, maxQueued: 4)
        defer { pool.shutdown() }
        let spec = try ModelSpec.read(file: model)
        let shape = spec.input.shape(batch: 1)
        var generator = SystemRandomNumberGenerator()
        let item = Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) })
        for size in sizes {
            var sized = spec
            sized.batch = BatchPolicy(maxSize: size, maxWaitMilliseconds: 0)
            let loaded = try await LoadedModel(sized, runtime: OpenCVRuntime(), pool: pool)
            let batch = Array(repeating: item, count: size)
            _ = try await loaded.forward(batch)
            var passes: [Double] = []
            let start = ContinuousClock.now
            for _ in 0..<max(1, images / size) {
                let started = ContinuousClock.now
                _ = try await loaded.forward(batch)
                passes.append((ContinuousClock.now - started).seconds * 1000)
            }
            let seconds = (ContinuousClock.now - start).seconds
            passes.sort()
            func percentile(_ p: Double) -> String { String(format: "%.2f", passes[min(passes.count - 1, Int(Double(passes.count) * p))]) }
            print(JSONLine.encode(["model": spec.name, "runtime": loaded.runtimeName, "batch": String(size),
                                   "images": String(passes.count * size),
                                   "images_per_second": String(format: "%.1f", Double(passes.count * size) / seconds),
                                   "pass_p50_ms": percentile(0.5), "pass_p99_ms": percentile(0.99)]))
        }
    }
}
