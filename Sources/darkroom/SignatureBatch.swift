import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import Pipelines

/// Measures the signatures of many images, as many at once as there are pixel threads, with
/// progress on standard error: what `index add` and `dedupe` share.
struct SignatureBatch {
    /// One input's outcome.
    struct Measured: Sendable {
        let item: InputCollector.Item
        /// The content id: SHA-256 of the file's bytes, as uploads are named.
        let imageID: String
        let result: Result<ImageSignature, any Error>
    }

    let processor: ImageProcessor
    let concurrency: Int
    let maxBytes: Int

    /// Collects the images under `inputs` (files, folders, s3:// prefixes) and measures them
    /// with `processor`, as many at once as `concurrency`; the answer is in the order found.
    static func measure(_ inputs: [String], processor: ImageProcessor, concurrency: Int, maxBytes: Int) async throws -> [Measured] {
        let opener = StoreOpener()
        do {
            let items = try await InputCollector.collect(inputs, opener: opener)
            let measured = await SignatureBatch(processor: processor, concurrency: concurrency, maxBytes: maxBytes).measure(items)
            await opener.shutdown()
            return measured
        } catch {
            await opener.shutdown()
            throw error
        }
    }

    /// Measures `items`; the answer is in their order.
    func measure(_ items: [InputCollector.Item]) async -> [Measured] {
        let reader = SignatureReader(processor: processor)
        let progress = ProgressReporter(total: items.count)
        var results = [Measured?](repeating: nil, count: items.count)
        var done = 0
        let maxBytes = maxBytes
        await withTaskGroup(of: (Int, Measured).self) { group in
            var next = 0
            func submit() {
                guard next < items.count else { return }
                let (position, item) = (next, items[next])
                next += 1
                group.addTask { (position, await Self.measure(item, reader: reader, maxBytes: maxBytes)) }
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

    private static func measure(_ item: InputCollector.Item, reader: SignatureReader, maxBytes: Int) async -> Measured {
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
            let signature = try await reader.signature(of: .bytes(data))
            return Measured(item: item, imageID: PipelineRunner.imageID(of: data), result: .success(signature))
        } catch {
            return Measured(item: item, imageID: "", result: .failure(error))
        }
    }
}

extension SignatureBatch.Measured {
    /// The failure, if measuring failed.
    var failure: (any Error)? {
        if case let .failure(error) = result { return error }
        return nil
    }
}
