import Foundation
import Vips

/// What an image looks like to `f:auto`: a photo, which lossy formats suit, or a graphic (few
/// colours, flat areas, sharp edges: screenshots, logos, line art, charts), which lossless
/// formats suit. Measured on the full-resolution pixels of a ``ProbeSample``.
public struct ImageContent: Sendable, Equatable, Codable {
    /// The two kinds `f:auto` tells apart.
    public enum Kind: String, Sendable, Codable {
        case photo
        case graphic
    }

    /// The verdict.
    public let kind: Kind
    /// Distinct colours among the measured pixels (alpha included), counted up to ``colourLimit``.
    public let colours: Int
    /// How many pixels were measured.
    public let pixels: Int
    /// Whether any measured pixel is not fully opaque.
    public let transparent: Bool
    /// Whether every measured pixel is grey (R = G = B, or one band).
    public let grey: Bool
    /// The share of horizontally neighbouring pixels that are identical.
    public let flatShare: Double
    /// For grey images, the share of pixels at the commonest level (a drawing's paper).
    public let dominantShare: Double

    /// Counting stops here: past it, an image is a photo whatever else it has.
    static let colourLimit = 100_000
    /// A graphic has at most this share of distinct colours among its pixels. Measured on the
    /// fixtures: screenshots, logos and line art 0.1–3.4%, photos 7–60%.
    static let graphicColourShare = 0.05
    /// A grey image, which any photo's 256 levels fit, is a graphic when at least this share of
    /// neighbours are identical (line art and text 0.8–0.97, grey photos 0.1–0.55), or when
    /// this share of its pixels is one level, the paper of a drawing (sketches 0.45 and up,
    /// grey photos under 0.1).
    static let greyGraphicFlatShare = 0.7
    static let greyGraphicDominantShare = 0.35

    /// The verdict in words, with the numbers behind it.
    public var reason: String {
        func percent(_ share: Double) -> String {
            share < 0.01 ? String(format: "%.2f%%", share * 100) : String(format: "%.0f%%", share * 100)
        }
        let counted = colours >= Self.colourLimit ? "\(Self.colourLimit)+" : String(colours)
        var parts = ["\(counted) \(grey ? "grey levels" : "colours") in \(pixels) pixels (\(percent(Double(colours) / Double(max(1, pixels)))))",
                     "\(percent(flatShare)) flat"]
        if grey { parts.append("\(percent(dominantShare)) one level") }
        if transparent { parts.append("transparent") }
        return "\(kind.rawValue): " + parts.joined(separator: ", ")
    }

    /// Measures `image` (any bands and depth).
    init(measuring image: VipsImage) throws(VipsError) {
        let sample = try ProbeSample(of: image)?.image ?? image
        var eight = sample
        if eight.bandFormat != .uchar { eight = try eight.colourspace(eight.bands <= 2 ? .bw : .srgb) }
        let bands = eight.bands, width = eight.width
        let bytes = try eight.pixelBytes()
        let pixels = width * eight.height
        var seen = Set<UInt32>(minimumCapacity: 4096)
        var transparent = false
        var colourful = false
        var flat = 0
        var previous: UInt32 = 0
        var levels = [Int](repeating: 0, count: 256)
        for index in 0..<pixels {
            let base = index * bands
            var packed: UInt32 = 0
            for band in 0..<min(bands, 4) { packed = packed << 8 | UInt32(bytes[base + band]) }
            if seen.count < Self.colourLimit { seen.insert(packed) }
            if eight.hasAlpha && bytes[base + bands - 1] < 255 { transparent = true }
            if bands >= 3 && (bytes[base] != bytes[base + 1] || bytes[base] != bytes[base + 2]) { colourful = true }
            if index % width != 0 && packed == previous { flat += 1 }
            previous = packed
            levels[Int(bytes[base])] += 1
        }
        let pairs = max(1, (width - 1) * eight.height)
        self.init(colours: seen.count, pixels: pixels, transparent: transparent, grey: !colourful,
                  flatShare: Double(flat) / Double(pairs), dominantShare: Double(levels.max() ?? 0) / Double(max(1, pixels)))
    }

    /// Classifies the counts. A colour image is a graphic when its colours fit a palette (256)
    /// or are few for its size; a grey one, whose levels always fit, when it is mostly flat.
    init(colours: Int, pixels: Int, transparent: Bool, grey: Bool = false, flatShare: Double = 0, dominantShare: Double = 0) {
        self.colours = colours
        self.pixels = pixels
        self.transparent = transparent
        self.grey = grey
        self.flatShare = flatShare
        self.dominantShare = grey ? dominantShare : 0
        if grey {
            let drawing = flatShare >= Self.greyGraphicFlatShare || dominantShare >= Self.greyGraphicDominantShare
            kind = drawing ? .graphic : .photo
        } else {
            // Small images have few pixels to tell by: only the palette test applies to them.
            let few = pixels >= 4096 && Double(colours) <= Self.graphicColourShare * Double(pixels)
            kind = colours <= 256 || few ? .graphic : .photo
        }
    }
}
