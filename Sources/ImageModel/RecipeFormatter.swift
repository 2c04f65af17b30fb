/// Writes a recipe's canonical string, the inverse of ``RecipeParser`` in `.asWritten` order.
enum RecipeFormatter {
    static func format(_ recipe: Recipe) -> String {
        var parts = recipe.operations.map(clause)
        if !recipe.autoRotate { parts.append("ar:0") }
        if let buster = recipe.cacheBuster { parts.append("cb:\(buster)") }
        if recipe.frame != 0 { parts.append("fr:\(recipe.frame)") }
        if recipe.window != .file { parts.append((["dw"] + recipe.window.arguments).joined(separator: ":")) }
        if recipe.videoSecond != 0 { parts.append("vts:\(NumberFormat.format(recipe.videoSecond))") }
        parts.append(contentsOf: outputClauses(recipe.output))
        return parts.joined(separator: "/")
    }

    static func clause(_ operation: Operation) -> String {
        let n = NumberFormat.format as (Double) -> String
        let b = NumberFormat.format as (Bool) -> String
        let fields: [String]
        switch operation {
        case let .resize(mode, width, height, enlarge, extend, gravity):
            fields = ["rs", mode.rawValue, String(width), String(height), b(enlarge), b(extend)] + gravity.arguments
        case let .crop(width, height, gravity):
            fields = ["c", String(width), String(height)] + gravity.arguments
        case let .extract(x, y, width, height):
            fields = ["c", String(width), String(height), "nowe", String(x), String(y)]
        case let .rotate(degrees, background):
            fields = ["rot", n(degrees), background.hex]
        case let .flip(horizontal, vertical):
            fields = ["fl", b(horizontal), b(vertical)]
        case let .blur(sigma):
            fields = ["bl", n(sigma)]
        case let .sharpen(sigma):
            fields = ["sh", n(sigma)]
        case .grayscale:
            fields = ["gs", "1"]
        case .bitonal:
            fields = ["bt", "1"]
        case let .adjust(brightness, contrast, saturation):
            fields = ["adj", String(brightness), n(contrast), n(saturation)]
        case let .pad(top, right, bottom, left, background):
            fields = ["pd", String(top), String(right), String(bottom), String(left), background.hex]
        case let .flatten(background):
            fields = ["bg", background.hex]
        case let .trim(threshold, background):
            fields = ["t", n(threshold)] + (background.map { [$0.hex] } ?? [])
        case let .watermark(opacity, position, x, y, scale):
            fields = ["wm", n(opacity)] + position.arguments + [String(x), String(y), n(scale)]
        case let .blurDetections(sigma, classes):
            fields = ["bd", n(sigma)] + classes
        case let .drawDetections(classes):
            fields = ["dd", "1"] + classes
        }
        return fields.joined(separator: ":")
    }

    static func outputClauses(_ output: OutputSpec) -> [String] {
        let b = NumberFormat.format as (Bool) -> String
        let defaults = EncoderOptions()
        let e = output.encoder
        var parts: [String] = []
        if output.format != .auto { parts.append("f:\(output.format.rawValue)") }
        if output.format == .auto, !output.autoFormats.isEmpty {
            parts.append((["f", "auto"] + output.autoFormats.map(\.rawValue)).joined(separator: ":"))
        }
        if let quality = output.quality { parts.append("q:\(quality)") }
        if let auto = output.autoQuality {
            parts.append(auto.level.map { "q:auto:\($0.rawValue)" } ?? (["aq"] + auto.arguments).joined(separator: ":"))
        }
        if !output.stripMetadata { parts.append("sm:0") }
        if let background = output.background { parts.append("obg:\(background.hex)") }
        if (e.progressive, e.noChromaSubsampling, e.optimizeCoding) != (defaults.progressive, defaults.noChromaSubsampling, defaults.optimizeCoding) {
            parts.append("jpgo:\(b(e.progressive)):\(b(e.noChromaSubsampling)):\(b(e.optimizeCoding))")
        }
        if (e.interlace, e.palette, e.pngCompression) != (defaults.interlace, defaults.palette, defaults.pngCompression) {
            parts.append("pngo:\(b(e.interlace)):\(b(e.palette)):\(e.pngCompression)")
        }
        if (e.lossless, e.webpEffort) != (defaults.lossless, defaults.webpEffort) {
            parts.append("webpo:\(b(e.lossless)):\(e.webpEffort)")
        }
        if let maxBytes = output.maxBytes { parts.append("mb:\(maxBytes)") }
        if output.bitDepth != 8 { parts.append("depth:\(output.bitDepth)") }
        if e.avifSpeed != defaults.avifSpeed { parts.append("avifo:\(e.avifSpeed)") }
        if (e.tiled, e.pyramid) != (defaults.tiled, defaults.pyramid) {
            parts.append("tiffo:\(b(e.tiled)):\(b(e.pyramid))")
        }
        return parts
    }
}
