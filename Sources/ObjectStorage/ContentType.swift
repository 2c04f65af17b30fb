/// MIME types guessed from file extensions, for objects stored without one.
package enum ContentType {
    /// The generic type for bytes of unknown kind.
    package static let binary = "application/octet-stream"

    private static let byExtension: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
        "gif": "image/gif", "avif": "image/avif", "heic": "image/heic", "heif": "image/heif",
        "tif": "image/tiff", "tiff": "image/tiff", "json": "application/json", "txt": "text/plain",
    ]

    /// The type for `name`'s extension, or ``binary``.
    package static func guess(for name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return binary }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? binary
    }
}
