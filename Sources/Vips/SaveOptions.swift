/// How an image is encoded, per output format.
public enum SaveOptions: Sendable, Equatable {
    /// JPEG.
    /// - quality: 1–100.
    /// - progressive: interlaced (progressive) scans.
    /// - optimizeCoding: optimised Huffman tables (smaller files, slightly slower).
    /// - subsampling: chroma subsampling.
    /// - strip: drop metadata (EXIF, XMP, ICC…).
    case jpeg(quality: Int, progressive: Bool, optimizeCoding: Bool, subsampling: ChromaSubsampling, strip: Bool)
    /// PNG.
    /// - compression: zlib level 0–9.
    /// - palette: quantise to an 8-bit palette (much smaller, lossy).
    /// - quality: palette quantisation quality 1–100.
    case png(compression: Int, palette: Bool, quality: Int, interlace: Bool, strip: Bool)
    /// WebP.
    /// - effort: 0 (fastest) to 6 (smallest).
    case webp(quality: Int, lossless: Bool, effort: Int, strip: Bool)
    /// AVIF: HEIF with AV1 compression through libheif and libaom.
    /// - effort: 0 (fastest) to 9 (smallest); 0–2 is about 3× faster for 7% more bytes.
    case avif(quality: Int, effort: Int, strip: Bool)
    /// HEIC: HEIF with HEVC compression through libheif (needs an HEVC encoder such as x265;
    /// see ``VipsRuntime/savesHEIC``).
    /// - effort: 0 (fastest) to 9 (smallest).
    case heic(quality: Int, effort: Int, strip: Bool)
    /// TIFF, optionally tiled and pyramidal (for deep zoom).
    case tiff(compression: TIFFCompression, quality: Int, tiled: Bool, tileSize: Int, pyramid: Bool, strip: Bool)
    /// GIF.
    /// - effort: palette search effort 1–10.
    case gif(effort: Int, strip: Bool)

    /// Whether metadata is dropped, whatever the format.
    /// The libvips saver that writes it, as errors name it.
    var operationName: String {
        switch self {
        case .jpeg: "jpegsave_buffer"
        case .png: "pngsave_buffer"
        case .webp: "webpsave_buffer"
        case .avif, .heic: "heifsave_buffer"
        case .tiff: "tiffsave_buffer"
        case .gif: "gifsave_buffer"
        }
    }

    public var strip: Bool {
        switch self {
        case let .jpeg(_, _, _, _, strip), let .png(_, _, _, _, strip), let .webp(_, _, _, strip),
             let .avif(_, _, strip), let .heic(_, _, strip), let .tiff(_, _, _, _, _, strip), let .gif(_, strip):
            strip
        }
    }
}

/// Chroma subsampling for JPEG.
public enum ChromaSubsampling: Int32, Sendable, Equatable {
    /// 4:2:0 below quality 90, 4:4:4 from 90 up.
    case auto = 0
    /// Always 4:2:0.
    case on = 1
    /// Never subsample (4:4:4).
    case off = 2
}

/// TIFF compression schemes.
public enum TIFFCompression: Int32, Sendable, Equatable {
    case none = 0
    case jpeg = 1
    case deflate = 2
    case lzw = 5
    case webp = 6
    case zstd = 7
}
