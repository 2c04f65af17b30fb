import Foundation
import ImageModel
import ImageProcessing
import ObjectStorage

/// Reading sources from and writing results to object stores, for `transform` and `process`.
enum ObjectIO {
    /// The object's bytes, refused before its body is read when it is over `maxBytes`.
    static func source(_ store: any ObjectStore, _ key: ObjectKey, maxBytes: Int) async throws -> ImageSource {
        let download = try await store.stream(key, range: nil)
        try Limits(maxInputBytes: maxBytes).checkInput(bytes: download.info.size)
        return .bytes(try await download.body.collect(upTo: maxBytes))
    }

    /// Stores a result with its content type.
    static func save(_ result: ProcessedImage, to store: any ObjectStore, _ key: ObjectKey) async throws {
        try await store.put(key, data: result.data, options: PutOptions(contentType: result.format.mimeType))
    }

    /// The extension of an object URL's key or a path, ignoring any query.
    static func pathExtension(_ text: String) -> String {
        (String(text.split(separator: "?", maxSplits: 1).first ?? "") as NSString).pathExtension
    }
}
