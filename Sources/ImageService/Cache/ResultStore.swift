import Foundation
import ImageModel
public import Logging
public import ObjectStorage

/// Rendered results kept in an object store, shared by every node behind the in-memory LRU.
///
/// A result's key is its cache key (the recipe's canonical hash plus the source's identity),
/// so any node that renders it saves work for all the others. The store is an optimisation:
/// when it fails, the image is rendered (and served) anyway, and the failure is logged.
public struct ResultStore: Sendable {
    let store: any ObjectStore
    let logger: Logger

    /// Keeps results in `store`.
    public init(store: any ObjectStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The stored result for `key`, or nil when there is none (or the store failed).
    func image(for key: String) async -> RenderedImage? {
        do {
            let object = try await store.get(try objectKey(key))
            let meta = object.info.metadata
            guard let format = meta["format"].flatMap(OutputFormat.init(name:)),
                  let width = meta["width"].flatMap(Int.init), let height = meta["height"].flatMap(Int.init) else { return nil }
            var image = RenderedImage(data: object.data, format: format, width: width, height: height)
            image.quality = meta["quality"].flatMap(Int.init)
            image.qualityUnmet = meta["quality-unmet"] == "1"
            image.content = meta["content"]
            image.formatReason = meta["format-reason"]
            return image
        } catch {
            if case .notFound = error { return nil }
            logger.warning("result store read failed", metadata: ["key": "\(key)", "error": "\(error)"])
            return nil
        }
    }

    /// Saves `image` under `key`.
    func save(_ image: RenderedImage, for key: String) async {
        do {
            var metadata = ["format": image.format.fileExtension, "width": String(image.width), "height": String(image.height)]
            if let quality = image.quality { metadata["quality"] = String(quality) }
            if image.qualityUnmet { metadata["quality-unmet"] = "1" }
            if let content = image.content { metadata["content"] = content }
            if let reason = image.formatReason { metadata["format-reason"] = reason }
            try await store.put(try objectKey(key), data: image.data,
                                options: PutOptions(contentType: image.format.mimeType, metadata: metadata))
        } catch {
            logger.warning("result store write failed", metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    /// Fans results out over 256 folders, which keeps local folders and S3 listings quick.
    private func objectKey(_ key: String) throws(ObjectStoreError) -> ObjectKey {
        try ObjectKey("results/\(key.prefix(2))/\(key)")
    }
}
