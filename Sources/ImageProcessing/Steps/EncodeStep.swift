import Foundation
import ImageModel
import Vips

/// Encodes the finished pipeline; this is where libvips actually computes the pixels.
///
/// With `aq` (or `mb`) the quality is searched for: the pipeline is computed once and kept in
/// memory, candidates are encoded and measured, and at most ``fullEncodes`` encodes of the
/// whole image are made. A large image is measured on a ``ProbeSample`` instead, so each try
/// costs a fraction of a full encode.
struct EncodeStep {
    let output: OutputSpec
    /// Fills in what an `aq` option leaves out.
    let policy: AutoQualityPolicy
    /// A quality chosen for a neighbouring request (same source, another size): the first guess.
    let seed: Int?

    /// The most encodes of the whole image one request may cost.
    static let fullEncodes = 4
    /// The most tries on a probe sample (each a fraction of a full encode).
    static let sampleTries = 6
    /// The most further encodes of the image a JPEG's whole-chroma search may cost.
    static let wholeChromaEncodes = 3
    /// How much better than the target a sample must measure: SSIMULACRA2 points, or tenths
    /// of a DSSIM target.
    static let sampleMargin = 1.5

    /// What encoding produced.
    struct Result {
        let data: Data
        let format: OutputFormat
        /// The quality used; nil for lossless formats.
        let quality: Int?
        /// How the quality was searched for, when it was.
        let search: QualitySearchReport?
        /// How `auto` chose the format, when it did.
        var decision: FormatDecision?
    }

    func encode(_ image: VipsImage) throws -> Result {
        guard output.format == .auto else { return try encode(image, as: output.format) }
        // Measuring and encoding both read the pixels: compute the pipeline once.
        let image = try image.materialised()
        let content = try ImageContent(measuring: image)
        switch content.kind {
        case .graphic:
            return try encodeGraphic(image, content: content)
        case .photo:
            return try encodePhoto(image, content: content)
        }
    }

    /// A graphic becomes lossless WebP (when the client takes it) or PNG, whichever is smaller;
    /// PNG with a palette when the colours fit one, which keeps it lossless.
    private func encodeGraphic(_ image: VipsImage, content: ImageContent) throws -> Result {
        let e = output.encoder
        let strip = output.stripMetadata
        var candidates: [(OutputFormat, Data)] = []
        if output.autoFormats.contains(.webp) {
            candidates.append((.webp, try image.encoded(.webp(quality: 100, lossless: true, effort: e.webpEffort, strip: strip))))
        }
        // A grey graphic stored as RGB triples its bytes before compression: store one band.
        let png = content.grey && !content.transparent && image.bands >= 3 ? try image.colourspace(.bw) : image
        candidates.append((.png, try png.encoded(.png(compression: max(e.pngCompression, 6), palette: content.colours <= 256 && !content.grey,
                                                      quality: 100, interlace: e.interlace, strip: strip))))
        let (format, data) = candidates.min { $0.1.count < $1.1.count }!
        let sizes = candidates.map { "\($0.0 == .webp ? "lossless webp" : "png") \($0.1.count) B" }.joined(separator: ", ")
        // Graphics compress losslessly to a few bits per pixel; far more means the counts were
        // fooled (a smooth photo, large), and a lossy format serves it better.
        let bitsPerPixel = Double(data.count * 8) / Double(max(1, image.width * image.height))
        guard bitsPerPixel <= Self.graphicBitsPerPixel else {
            return try encodePhoto(image, content: content,
                                   note: "lossless would take \(String(format: "%.1f", bitsPerPixel)) bits per pixel")
        }
        let decision = FormatDecision(content: content, format: format, reason: "\(content.reason); smallest of \(sizes)")
        return Result(data: data, format: format, quality: nil, search: nil, decision: decision)
    }

    /// The most bits per pixel a lossless graphic may take before it is served as a photo
    /// (screenshots and logos take 0.5–2 in PNG; photos 8–16).
    static let graphicBitsPerPixel = 4.0

    /// A photo gets the client's best lossy format; else JPEG, or PNG when transparency must survive.
    private func encodePhoto(_ image: VipsImage, content: ImageContent, note: String? = nil) throws -> Result {
        let lossy = output.autoFormats.first { $0 == .avif || $0 == .webp }
        let format = lossy ?? (content.transparent ? .png : .jpeg)
        var result = try encode(image, as: format)
        let why = lossy != nil ? "the client's first lossy format"
            : content.transparent ? "transparent, and the client takes neither AVIF nor WebP" : "the client takes neither AVIF nor WebP"
        let reason = [content.reason, note, "\(format.rawValue): \(why)"].compactMap { $0 }.joined(separator: "; ")
        result.decision = FormatDecision(content: content, format: format, reason: reason)
        return result
    }

    /// Encodes as `format`, searching for the quality when `aq` or `mb` asks.
    private func encode(_ image: VipsImage, as format: OutputFormat) throws -> Result {
        var image = image
        if !format.supportsAlpha && image.hasAlpha {
            let values = BackgroundVector.values(output.background ?? .white, bands: image.bands - 1, hasAlpha: false)
            image = try image.flattened(background: values)
        }
        let fixed = output.quality ?? OutputSpec.defaultQuality(for: format)
        let lossy = [.jpeg, .webp, .avif, .heic].contains(format) && !(format == .webp && output.encoder.lossless)
        guard lossy, output.autoQuality != nil || output.maxBytes != nil else {
            let data = try image.encoded(options(format, quality: fixed, hasAlpha: image.hasAlpha))
            return Result(data: data, format: format, quality: lossy ? fixed : nil, search: nil)
        }
        // Every try re-encodes the same pixels: compute the pipeline once.
        image = try image.materialised()
        var encodes = 0
        var probes = 0
        var met = true
        var chosen: (quality: Int, data: Data)
        var fullChroma = false
        if let auto = output.autoQuality {
            let request = policy.resolved(auto, for: format)
            let found = try search(request, from: seed ?? Self.firstGuess(request), image: image, format: format)
            chosen = found.chosen
            encodes += found.encodes
            probes += found.probes
            met = found.met
            // JPEG halves its chroma below q90 (libvips' automatic subsampling), so a picture
            // whose colour detail that loses meets its target only at q90 and up. Whole chroma
            // at a lower quality is often far smaller: search it too (at most
            // ``wholeChromaEncodes`` more encodes of the image), and keep the smaller answer.
            if format == .jpeg, !output.encoder.noChromaSubsampling, request.method != .size,
               chosen.quality >= 90 || !met, request.qualities.lowerBound < 90 {
                let lower = ResolvedAutoQuality(method: request.method, target: request.target,
                                                qualities: request.qualities.lowerBound...89, allowedError: request.allowedError)
                let whole = try search(lower, from: Self.firstGuess(lower), image: image, format: format,
                                       wholeChroma: true, fullEncodes: Self.wholeChromaEncodes, encodeUnmet: false)
                encodes += whole.encodes
                probes += whole.probes
                if whole.met && (!met || whole.chosen.data.count < chosen.data.count) {
                    chosen = whole.chosen
                    met = true
                    fullChroma = true
                }
            }
        } else {
            chosen = (fixed, try image.encoded(options(format, quality: fixed, hasAlpha: image.hasAlpha)))
            encodes += 1
        }
        // imgproxy's max_bytes: lower the quality until the result fits, whatever chose it.
        if let maxBytes = output.maxBytes, chosen.data.count > maxBytes, chosen.quality > 10 {
            let request = ResolvedAutoQuality(method: .size, target: Double(maxBytes), qualities: 10...(chosen.quality - 1),
                                              allowedError: policy.sizeAllowedError)
            let found = try search(request, from: chosen.quality - 1, image: image, format: format)
            chosen = found.chosen
            encodes += found.encodes
            met = met && found.met
        }
        let report = QualitySearchReport(met: met, fullEncodes: encodes, sampleProbes: probes, wholeChroma: fullChroma)
        return Result(data: chosen.data, format: format, quality: chosen.quality, search: report)
    }

    /// Runs one search: on a probe sample when the image is large and the method measures a
    /// distance (bytes must be counted on the real thing), otherwise on the image itself.
    private func search(_ request: ResolvedAutoQuality, from start: Int, image: VipsImage, format: OutputFormat,
                        wholeChroma: Bool = false, fullEncodes: Int = EncodeStep.fullEncodes, encodeUnmet: Bool = true) throws
        -> (chosen: (quality: Int, data: Data), met: Bool, encodes: Int, probes: Int) {
        let hasAlpha = image.hasAlpha
        let options = { (quality: Int) in self.options(format, quality: quality, hasAlpha: hasAlpha, wholeChroma: wholeChroma) }
        let measuresDistance = request.method != .size
        let sample = measuresDistance ? try ProbeSample(of: image) : nil
        let probed = sample?.image ?? image
        let reference = measuresDistance ? try PerceptualReference(probed, method: request.method) : nil
        var encoded: [Int: Data] = [:]
        // A sample scores within about 1.5 SSIMULACRA2 points of the whole image (measured by
        // bench/autoquality.py), so on a sample the target is raised by that much.
        let searched = sample == nil ? request : request.withMargin(Self.sampleMargin)
        let outcome = try QualitySearch(request: searched).run(
            from: start, tries: sample == nil ? fullEncodes : Self.sampleTries
        ) { quality in
            let data = try probed.encoded(options(quality))
            guard let reference else {
                encoded[quality] = data
                return Double(data.count)
            }
            if sample == nil { encoded[quality] = data }
            return try reference.distance(to: VipsImage.load(data))
        }
        let measured = sample == nil ? outcome.probes.count : 0
        let tried = sample == nil ? 0 : outcome.probes.count
        if let data = encoded[outcome.quality] {
            return ((outcome.quality, data), outcome.met, measured, tried)
        }
        // Nothing to keep when the target was missed and the caller has a better answer.
        guard outcome.met || encodeUnmet else { return ((outcome.quality, Data()), false, measured, tried) }
        let data = try image.encoded(options(outcome.quality))
        return ((outcome.quality, data), outcome.met, measured + 1, tried)
    }

    /// Where a search without a neighbour's answer starts: for a distance, 70% up the range
    /// (78 of 40–95), where the bench photos' answers cluster (73–88 for JPEG and
    /// WebP); for a byte budget, the top (most images under a generous budget fit at once).
    static func firstGuess(_ request: ResolvedAutoQuality) -> Int {
        let range = request.qualities
        guard request.method != .size else { return range.upperBound }
        return range.lowerBound + (range.upperBound - range.lowerBound) * 7 / 10
    }

    /// The saver's settings; `wholeChroma` keeps JPEG's chroma at full resolution whatever the quality.
    private func options(_ format: OutputFormat, quality: Int, hasAlpha: Bool, wholeChroma: Bool = false) -> SaveOptions {
        let e = output.encoder
        let strip = output.stripMetadata
        switch format {
        case .jpeg, .auto:
            return .jpeg(quality: quality, progressive: e.progressive, optimizeCoding: e.optimizeCoding,
                         subsampling: e.noChromaSubsampling || wholeChroma ? .off : .auto, strip: strip)
        case .png:
            return .png(compression: e.pngCompression, palette: e.palette, quality: quality,
                        interlace: e.interlace, strip: strip)
        case .webp:
            return .webp(quality: quality, lossless: e.lossless, effort: e.webpEffort, strip: strip)
        case .avif:
            return .avif(quality: quality, effort: 9 - e.avifSpeed, strip: strip)
        case .heic:
            return .heic(quality: quality, effort: 4, strip: strip)
        case .tiff:
            // JPEG tiles keep pyramids small; alpha needs a lossless codec.
            let tiled = e.tiled || e.pyramid
            let compression: TIFFCompression = tiled && !hasAlpha ? .jpeg : .deflate
            return .tiff(compression: compression, quality: quality, tiled: tiled, tileSize: 256,
                         pyramid: e.pyramid, strip: strip)
        case .gif:
            return .gif(effort: 7, strip: strip)
        }
    }
}
