import Foundation
import ObjectStorage

/// Expands command-line inputs into images: files as given, folders searched recursively,
/// `s3://bucket/key` objects as given and `s3://bucket/prefix/` listed.
struct InputCollector {
    /// File extensions taken from folders and prefixes (files named explicitly are always taken).
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "webp", "gif", "tif", "tiff",
                                               "avif", "heic", "heif", "dcm", "dicom"]

    /// Where one input's bytes are.
    enum Origin: Sendable {
        case file(String)
        case object(any ObjectStore, ObjectKey)
    }

    /// One input and where its output goes, relative to the output folder or prefix.
    struct Item: Sendable {
        /// How the input is shown in progress and errors.
        let path: String
        let origin: Origin
        /// The output path without an extension.
        let outputStem: String
    }

    /// Expands `inputs`; paths that do not exist are returned as items too, so they fail visibly.
    /// - Throws: ``ObjectStoreError`` when an S3 input cannot be listed.
    static func collect(_ inputs: [String], opener: StoreOpener) async throws -> [Item] {
        var items: [Item] = []
        for input in inputs {
            if StoreOpener.isObjectURL(input) {
                items += try await objects(input, opener: opener)
            } else {
                items += files(input)
            }
        }
        return items
    }

    private static func objects(_ input: String, opener: StoreOpener) async throws -> [Item] {
        let path = input.split(separator: "?", maxSplits: 1)[0]
        let isPrefix = path.hasSuffix("/") || !path.dropFirst("s3://".count).contains("/")
        if !isPrefix {
            let (store, key) = try opener.open(objectURL: input)
            return [Item(path: input, origin: .object(store, key), outputStem: stem(of: String(key.segments.last!)))]
        }
        // A prefix: the store is confined to it, so listed keys are already relative.
        let store = try opener.open(ObjectStoreLocation(input))
        let objects = try await store.listAll(prefix: "")
        return objects
            .filter { imageExtensions.contains(($0.key.rawValue as NSString).pathExtension.lowercased()) }
            .map { Item(path: "\(store.location)/\($0.key)", origin: .object(store, $0.key), outputStem: stem(of: $0.key.rawValue)) }
    }

    private static func files(_ input: String) -> [Item] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [Item(path: input, origin: .file(input), outputStem: stem(of: (input as NSString).lastPathComponent))]
        }
        let root = URL(fileURLWithPath: input).standardizedFileURL
        guard let enumerator = fileManager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                      options: [.skipsHiddenFiles]) else { return [] }
        var found: [Item] = []
        for case let url as URL in enumerator {
            guard imageExtensions.contains(url.pathExtension.lowercased()),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            found.append(Item(path: url.path, origin: .file(url.path), outputStem: stem(of: relative)))
        }
        return found.sorted { $0.path < $1.path }
    }

    private static func stem(of path: String) -> String {
        (path as NSString).deletingPathExtension
    }
}
