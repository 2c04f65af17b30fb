import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import Pipelines

/// Reads many images and does one thing with each, as many at once as there are pixel threads,
/// with progress on standard error: what `index add`, `dedupe`, `search` and `predict` share.
struct ImageBatch<Value: Sendable> {
    /// One input's outcome.
    struct Measured: Sendable {
        let item: InputCollector.Item
        /// The content id: SHA-256 of the file's bytes, as uploads are named.
        let imageID: String
        let result: Result<Value, any Error>

        /// The failure, if the work failed.
        var failure: (any Error)? {
            if case let .failure(error) = result { return error }
            return nil
        }
    }

    let concurrency: Int
    let maxBytes: Int
    /// The work on one image's bytes (a signature, a model's input).
    let work: @Sendable (Data) async throws -> Value

    /// Collects the images under `inputs` (files, folders, s3:// prefixes) and runs `work` on
    /// each, as many at once as `concurrency`, reading at most `maxBytes` of each; the answer
    /// is in the order found.
    static func run(_ inputs: [String], concurrency: Int, maxBytes: Int,
                    work: @escaping @Sendable (Data) async throws -> Value) async throws -> [Measured] {
        let opener = StoreOpener()
        do {
            let items = try await InputCollector.collect(inputs, opener: opener)
            let measured = await ImageBatch(concurrency: concurrency, maxBytes: maxBytes, work: work).run(items)
            await opener.shutdown()
            return measured
        } catch {
            await opener.shutdown()
            throw error
        }
    }

    /// Collects the images under `inputs` and runs the work on them `size` at a time, handing
    /// each slice's outcomes to `each` before the next is read: what commands whose work is
    /// large (a model's input tensors) use, so that memory stays bounded by `size`.
    static func inSlices(_ inputs: [String], size: Int, concurrency: Int, maxBytes: Int,
                         work: @escaping @Sendable (Data) async throws -> Value,
                         each: ([Measured]) async throws -> Void) async throws {
        let opener = StoreOpener()
        do {
            let items = try await InputCollector.collect(inputs, opener: opener)
            let batch = ImageBatch(concurrency: concurrency, maxBytes: maxBytes, work: work)
            let progress = ProgressReporter(total: items.count)
            for start in stride(from: 0, to: items.count, by: max(1, size)) {
                try await each(await batch.run(Array(items[start..<min(items.count, start + size)]), progress: progress, doneBefore: start))
            }
            await opener.shutdown()
        } catch {
            await opener.shutdown()
            throw error
        }
    }

    /// Runs the work on `items`; the answer is in their order. Progress counts on from
    /// `doneBefore` on `progress` (a reporter of its own when nil).
    func run(_ items: [InputCollector.Item], progress shared: ProgressReporter? = nil, doneBefore: Int = 0) async -> [Measured] {
        let progress = shared ?? ProgressReporter(total: items.count)
        var results = [Measured?](repeating: nil, count: items.count)
        var done = doneBefore
        let (maxBytes, work) = (maxBytes, work)
        await withTaskGroup(of: (Int, Measured).self) { group in
            var next = 0
            func submit() {
                guard next < items.count else { return }
                let (position, item) = (next, items[next])
                next += 1
                group.addTask { (position, await Self.measure(item, maxBytes: maxBytes, work: work)) }
            }
            for _ in 0..<max(1, concurrency) { submit() }
            for await (position, measured) in group {
                results[position] = measured
                done += 1
                progress.update(done: done, path: measured.item.path, failure: measured.failure.map { "\($0)" })
                submit()
            }
        }
        return results.compactMap { $0 }
    }

    private static func measure(_ item: InputCollector.Item, maxBytes: Int,
                                work: @Sendable (Data) async throws -> Value) async -> Measured {
        do {
            let data: Data
            switch item.origin {
            case let .file(path):
                guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue else {
                    throw ProcessingError.sourceUnreadable(path)
                }
                guard size <= maxBytes else {
                    throw ProcessingError.limitExceeded(LimitError(limit: "max-src-bytes", maximum: maxBytes, actual: size))
                }
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            case let .object(store, key):
                guard case let .bytes(bytes) = try await ObjectIO.source(store, key, maxBytes: maxBytes) else {
                    throw ProcessingError.sourceUnreadable(item.path)
                }
                data = bytes
            }
            return Measured(item: item, imageID: PipelineRunner.imageID(of: data), result: .success(try await work(data)))
        } catch {
            return Measured(item: item, imageID: "", result: .failure(error))
        }
    }
}

extension ImageBatch where Value == ImageSignature {
    /// The signatures of the images under `inputs`, measured with `processor`.
    static func signatures(_ inputs: [String], processor: ImageProcessor, concurrency: Int, maxBytes: Int) async throws -> [Measured] {
        let reader = SignatureReader(processor: processor)
        return try await run(inputs, concurrency: concurrency, maxBytes: maxBytes) { data in try await reader.signature(of: .bytes(data)) }
    }
}
