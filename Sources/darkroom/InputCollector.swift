import Foundation

/// Expands command-line inputs into image files: files as given, folders searched recursively.
struct InputCollector {
    /// File extensions taken from folders (files named explicitly are always taken).
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "webp", "gif", "tif", "tiff",
                                               "avif", "heic", "heif"]

    /// One input file and where its output goes, relative to the output folder.
    struct Item {
        let path: String
        /// The output path without an extension.
        let outputStem: String
    }

    /// Expands `inputs`; paths that do not exist are returned as items too, so they fail visibly.
    static func collect(_ inputs: [String]) -> [Item] {
        var items: [Item] = []
        let fileManager = FileManager.default
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
                items.append(Item(path: input, outputStem: stem(of: (input as NSString).lastPathComponent)))
                continue
            }
            let root = URL(fileURLWithPath: input).standardizedFileURL
            guard let enumerator = fileManager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { continue }
            var found: [Item] = []
            for case let url as URL in enumerator {
                guard imageExtensions.contains(url.pathExtension.lowercased()),
                      (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
                found.append(Item(path: url.path, outputStem: stem(of: relative)))
            }
            items.append(contentsOf: found.sorted { $0.path < $1.path })
        }
        return items
    }

    private static func stem(of path: String) -> String {
        (path as NSString).deletingPathExtension
    }
}
