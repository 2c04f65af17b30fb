/// How the result of a ``Recipe`` is encoded.
public struct OutputSpec: Hashable, Sendable, Codable {
    /// The format; `.auto` is decided when the image is known.
    public var format: OutputFormat
    /// Quality 1–100; nil means the format's default (``defaultQuality(for:)``).
    public var quality: Int?
    /// Whether EXIF, XMP, IPTC and ICC metadata are removed. On by default, as in imgproxy.
    public var stripMetadata: Bool
    /// The colour alpha is flattened onto when the format has no alpha (JPEG). White when nil.
    public var background: Color?
    /// Encoder settings beyond quality.
    public var encoder: EncoderOptions
    /// The most bytes the result may have; lossy formats lower their quality until it fits.
    public var maxBytes: Int?
    /// Chooses the quality per image (`aq`, `q:auto`); it takes precedence over ``quality``.
    public var autoQuality: AutoQuality?
    /// For `auto`: the formats the client takes beyond JPEG and PNG (which every client takes),
    /// best first, such as `[.avif, .webp]` from `Accept` (`f:auto:avif:webp`). The content
    /// decides among them: photos get the first lossy one, graphics lossless WebP or PNG.
    public var autoFormats: [OutputFormat]
    /// Bits per sample: 8, or 16 for PNG and TIFF (`depth:16`), which keeps a 16-bit source's
    /// (a DICOM image's) precision.
    public var bitDepth: Int

    /// Creates an output spec; every argument has the usual default.
    public init(format: OutputFormat = .auto, quality: Int? = nil, stripMetadata: Bool = true,
                background: Color? = nil, encoder: EncoderOptions = EncoderOptions(), maxBytes: Int? = nil,
                autoQuality: AutoQuality? = nil, autoFormats: [OutputFormat] = [], bitDepth: Int = 8) {
        self.format = format
        self.quality = quality
        self.stripMetadata = stripMetadata
        self.background = background
        self.encoder = encoder
        self.maxBytes = maxBytes
        self.autoQuality = autoQuality
        self.autoFormats = autoFormats
        self.bitDepth = bitDepth
    }

    private enum CodingKeys: String, CodingKey {
        case format, quality, stripMetadata, background, encoder, maxBytes, autoQuality, autoFormats, bitDepth
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(format: try container.decode(OutputFormat.self, forKey: .format),
                  quality: try container.decodeIfPresent(Int.self, forKey: .quality),
                  stripMetadata: try container.decode(Bool.self, forKey: .stripMetadata),
                  background: try container.decodeIfPresent(Color.self, forKey: .background),
                  encoder: try container.decode(EncoderOptions.self, forKey: .encoder),
                  maxBytes: try container.decodeIfPresent(Int.self, forKey: .maxBytes),
                  autoQuality: try container.decodeIfPresent(AutoQuality.self, forKey: .autoQuality),
                  autoFormats: try container.decode([OutputFormat].self, forKey: .autoFormats),
                  // Older stored recipes (job payloads) have no depth: 8 bits, as they were made.
                  bitDepth: try container.decodeIfPresent(Int.self, forKey: .bitDepth) ?? 8)
    }

    /// The formats `auto` may become beyond JPEG and PNG.
    public static let autoCandidates: [OutputFormat] = [.avif, .webp]

    /// The quality used when none is given: 80 for JPEG and WebP, 60 for AVIF, 75 for TIFF's JPEG tiles.
    public static func defaultQuality(for format: OutputFormat) -> Int {
        switch format {
        case .avif, .heic: 60
        case .tiff: 75
        case .png, .gif: 100
        default: 80
        }
    }
}

/// Encoder settings beyond quality, each applying to one or two formats.
public struct EncoderOptions: Hashable, Sendable, Codable {
    /// JPEG: progressive (interlaced) scans.
    public var progressive: Bool
    /// JPEG: keep full-resolution chroma (4:4:4) instead of 4:2:0.
    public var noChromaSubsampling: Bool
    /// JPEG: optimised Huffman tables.
    public var optimizeCoding: Bool
    /// PNG: zlib compression level 0–9.
    public var pngCompression: Int
    /// PNG: quantise to a palette of at most 256 colours.
    public var palette: Bool
    /// PNG: Adam7 interlacing.
    public var interlace: Bool
    /// WebP: lossless compression.
    public var lossless: Bool
    /// WebP: effort 0–6.
    public var webpEffort: Int
    /// AVIF: encoder speed 0 (slowest, smallest) to 9 (fastest). 7 by default: effort 0–2
    /// measured 3× faster than libvips' default for about 7% more bytes.
    public var avifSpeed: Int
    /// TIFF: write square tiles instead of strips.
    public var tiled: Bool
    /// TIFF: write a pyramid of halving resolutions (implies tiles).
    public var pyramid: Bool

    /// Creates encoder options with the defaults.
    public init(progressive: Bool = false, noChromaSubsampling: Bool = false, optimizeCoding: Bool = true,
                pngCompression: Int = 6, palette: Bool = false, interlace: Bool = false,
                lossless: Bool = false, webpEffort: Int = 4, avifSpeed: Int = 7,
                tiled: Bool = false, pyramid: Bool = false) {
        self.progressive = progressive
        self.noChromaSubsampling = noChromaSubsampling
        self.optimizeCoding = optimizeCoding
        self.pngCompression = pngCompression
        self.palette = palette
        self.interlace = interlace
        self.lossless = lossless
        self.webpEffort = webpEffort
        self.avifSpeed = avifSpeed
        self.tiled = tiled
        self.pyramid = pyramid
    }
}
