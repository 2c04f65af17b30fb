import Foundation
import ImageModel
import ImageProcessing

/// Serves `local:///path` sources from files under one root folder.
///
/// Nothing may escape the root: `..` segments (also when they arrived percent-encoded) are
/// refused outright, and the resolved path, symlinks followed, must still lie inside the
/// root's own resolved path.
public struct LocalFileFetcher: ImageSourceFetcher {
    /// The root, resolved once (symlinks followed).
    public let root: String
    public var schemes: Set<String> { ["local"] }

    /// Creates a fetcher for files under `root`.
    public init(root: String) {
        self.root = LocalFileFetcher.resolve(URL(fileURLWithPath: root).standardizedFileURL.path) ?? root
    }

    public func fetch(_ url: String, maxBytes: Int) async throws(SourceError) -> FetchedSource {
        guard url.hasPrefix("local://") else { throw .invalid("expected local:///path, got '\(url)'") }
        let relative = String(url.dropFirst("local://".count))
        let segments = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.isEmpty else { throw .invalid("local source names no file") }
        guard !segments.contains(where: { $0 == ".." || $0 == "." }), !relative.contains("\0") else {
            throw .forbidden("'..' and '.' are not allowed in local paths")
        }
        let candidate = root + "/" + segments.joined(separator: "/")
        guard let resolved = Self.resolve(candidate) else { throw .notFound(relative) }
        guard resolved.hasPrefix(root + "/") else { throw .forbidden("the path leaves the local root") }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw .notFound(relative) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notFound("\(relative) is not a file") }
        let size = Int(info.st_size)
        do { try Limits(maxInputBytes: maxBytes).checkInput(bytes: size) } catch { throw .tooLarge(error) }
        let name = (String(segments.last!) as NSString).deletingPathExtension
        return FetchedSource(source: .file(resolved),
                             identity: "local:\(resolved):\(size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)",
                             name: name, byteCount: size)
    }

    /// The canonical path with symlinks resolved, or nil when it does not exist.
    static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
