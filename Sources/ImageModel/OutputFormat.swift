/// An output image format.
public enum OutputFormat: String, Hashable, Sendable, Codable, CaseIterable {
    case jpeg
    case png
    case webp
    case avif
    /// HEIC: HEIF with HEVC compression. Only where the engine has an HEVC encoder (the 8.18
    /// wheel's libheif has none), which ``ImageProcessor`` checks before decoding.
    case heic
    case tiff
    case gif
    /// Chosen at run time: JPEG for opaque images and PNG for images with alpha (the HTTP
    /// service may prefer AVIF or WebP when the client accepts them).
    case auto

    /// Parses a format name or file extension (`jpg`, `jpeg`, `tif`, `webp`…), case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "jpg", "jpeg", "jpe": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        case "avif": self = .avif
        case "heic", "heif": self = .heic
        case "tif", "tiff": self = .tiff
        case "gif": self = .gif
        case "auto", "best": self = .auto
        default: return nil
        }
    }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .tiff: "tif"
        default: rawValue
        }
    }

    /// The MIME type; nil for `auto`.
    public var mimeType: String? {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .avif: "image/avif"
        case .heic: "image/heic"
        case .tiff: "image/tiff"
        case .gif: "image/gif"
        case .auto: nil
        }
    }

    /// Whether the format can carry an alpha channel.
    public var supportsAlpha: Bool { self != .jpeg }
}
