import CoreMetrics
import ImageProcessing
import Metrics
public import ServiceLifecycle
import Synchronization
import Vision

/// Gathers the requests of concurrent jobs for one model into batches: the first request of a
/// batch waits at most the spec's `max_wait_ms` for others, and a batch runs as soon as it holds
/// `max_size`. One batch runs at a time (a network runs one pass at a time anyway).
///
/// A ``Service``: requests are answered while it runs, and those still waiting when it stops
/// fail with ``InferenceError/inferenceFailed(model:problem:)``.
public final class ModelBatcher: Service {
    public let model: LoadedModel
    private let waiting = Mutex(Waiting())
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation
    private let statistics = Mutex(BatchStatistics())

    /// The requests not yet in a batch, and whether the batcher has stopped taking them.
    struct Waiting {
        var requests: [Request] = []
        var stopped = false
    }

    struct Request {
        let input: Tensor
        let submitted: ContinuousClock.Instant
        let answer: CheckedContinuation<Tensor, any Error>
    }

    /// A batcher for `model`.
    public init(model: LoadedModel) {
        self.model = model
        (doorbell, ring) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// What it has run so far.
    public var batches: BatchStatistics { statistics.withLock { $0 } }

    /// The prediction for one image, run in a batch with whatever other requests arrive meanwhile.
    public func predict(_ input: InputTensor) async throws -> Prediction {
        let output = try await forward(input.tensor), spec = model.spec
        // Decoding a detector's thousands of boxes is CPU work too: on the pool.
        return try await model.pool.run { _ in OutputDecoder.decode(output, model: spec, input: input) }
    }

    /// The output of one item, forwarded in a batch.
    func forward(_ item: Tensor) async throws -> Tensor {
        try await withCheckedThrowingContinuation { answer in
            // After the batcher stopped, nothing would answer: refuse at once.
            let accepted = waiting.withLock { state in
                guard !state.stopped else { return false }
                state.requests.append(Request(input: item, submitted: .now, answer: answer))
                return true
            }
            guard accepted else {
                answer.resume(throwing: InferenceError.inferenceFailed(model: model.spec.name, problem: "the model's batcher has stopped"))
                return
            }
            ring.yield()
        }
    }

    public func run() async throws {
        let policy = model.spec.batch
        for await _ in doorbell.cancelOnGracefulShutdown() {
            while true {
                guard let first = waiting.withLock({ $0.requests.first?.submitted }) else { break }
                // Forming a batch: look again each millisecond until it is full or the first
                // request has waited its longest.
                let deadline = first + .milliseconds(policy.maxWaitMilliseconds)
                while waiting.withLock({ $0.requests.count }) < policy.maxSize, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(1))
                }
                let batch = waiting.withLock { state in
                    let taken = Array(state.requests.prefix(policy.maxSize))
                    state.requests.removeFirst(taken.count)
                    return taken
                }
                await execute(batch)
            }
        }
        let left = waiting.withLock { state in
            state.stopped = true
            defer { state.requests.removeAll() }
            return state.requests
        }
        for request in left {
            request.answer.resume(throwing: InferenceError.inferenceFailed(model: model.spec.name, problem: "the server is stopping"))
        }
    }

    private func execute(_ batch: [Request]) async {
        guard !batch.isEmpty else { return }
        let started = ContinuousClock.now
        for request in batch {
            Timer(label: "darkroom_inference_queue_wait_seconds", dimensions: [("model", model.spec.name)], factory: model.metrics)
                .record(duration: started - request.submitted)
        }
        do {
            let outputs = try await model.forward(batch.map(\.input))
            statistics.withLock { $0.record(size: batch.count) }
            for (request, output) in zip(batch, outputs) { request.answer.resume(returning: output) }
        } catch {
            for request in batch { request.answer.resume(throwing: error) }
        }
    }
}

/// How many batches a model ran, of how many images.
public struct BatchStatistics: Sendable, Equatable, Codable {
    public var batches = 0
    public var images = 0
    public var largest = 0

    mutating func record(size: Int) {
        batches += 1
        images += size
        largest = max(largest, size)
    }

    enum CodingKeys: String, CodingKey { case batches, images, largest }
}
