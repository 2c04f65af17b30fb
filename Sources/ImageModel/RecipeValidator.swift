/// The ranges every recipe value must fall in, checked in one place for every way a recipe is made.
enum RecipeValidator {
    /// The largest width, height or offset a recipe may name.
    static let maxDimension = 100_000

    static func validate(_ recipe: Recipe) throws(RecipeError) {
        for operation in recipe.operations { try validate(operation) }
        try validate(recipe.output)
        try check("frame", "frame", recipe.frame, in: 0...100_000)
        try check("video_thumbnail_second", "second", recipe.videoSecond, in: 0...1e6)
        if case let .explicit(_, width) = recipe.window { try check("dicom_window", "width", width, in: 1...1e6) }
        if recipe.output.bitDepth == 16 {
            // 16 bits carry values for analysis: only geometry may touch them, and only lossless
            // formats with 16-bit samples may hold them.
            guard [.png, .tiff].contains(recipe.output.format) else {
                throw RecipeError(option: "depth", expected: "f:png or f:tiff with 16 bits", found: recipe.output.format.rawValue)
            }
            if let other = recipe.operations.first(where: { !$0.keepsValues }) {
                throw RecipeError(option: "depth", expected: "only resize, crop, rotate and flip with 16 bits", found: other.name)
            }
        }
        if recipe.window == .none && recipe.output.bitDepth != 16 {
            throw RecipeError(option: "dicom_window", expected: "none only with depth:16 (8 bits need a window)", found: "none")
        }
    }

    static func validate(_ operation: Operation) throws(RecipeError) {
        let name = operation.name
        let size = 0...maxDimension
        switch operation {
        case let .resize(_, width, height, _, _, _):
            try check(name, "width", width, in: size)
            try check(name, "height", height, in: size)
            if width == 0 && height == 0 {
                throw RecipeError(option: name, expected: "a width or a height above 0", found: "0:0")
            }
        case let .crop(width, height, _):
            // 0 keeps that side whole, as in imgproxy.
            try check(name, "width", width, in: size)
            try check(name, "height", height, in: size)
            if width == 0 && height == 0 {
                throw RecipeError(option: name, expected: "a width or a height above 0", found: "0:0")
            }
        case let .extract(x, y, width, height):
            try check(name, "x", x, in: size)
            try check(name, "y", y, in: size)
            try check(name, "width", width, in: 1...maxDimension)
            try check(name, "height", height, in: 1...maxDimension)
        case let .rotate(degrees, _):
            try check(name, "angle", degrees, in: -360...360)
        case .flip, .grayscale, .bitonal, .flatten:
            break
        case let .blur(sigma):
            try check(name, "sigma", sigma, in: 0.01...1000)
        case let .sharpen(sigma):
            try check(name, "sigma", sigma, in: 0.01...100)
        case let .adjust(brightness, contrast, saturation):
            try check(name, "brightness", brightness, in: -255...255)
            try check(name, "contrast", contrast, in: 0...10)
            try check(name, "saturation", saturation, in: 0...10)
        case let .pad(top, right, bottom, left, _):
            for (label, value) in [("top", top), ("right", right), ("bottom", bottom), ("left", left)] {
                try check(name, label, value, in: 0...10_000)
            }
        case let .trim(threshold, _):
            try check(name, "threshold", threshold, in: 0...255)
        case let .watermark(opacity, position, x, y, scale):
            if case .objects = position {
                throw RecipeError(option: name, expected: "a position that names a place, not detected objects", found: position.description)
            }
            try check(name, "opacity", opacity, in: 0...1)
            try check(name, "x offset", x, in: -maxDimension...maxDimension)
            try check(name, "y offset", y, in: -maxDimension...maxDimension)
            try check(name, "scale", scale, in: 0...1)
        case let .blurDetections(sigma, classes):
            try check(name, "sigma", sigma, in: 0.01...1000)
            try checkClasses(name, classes)
        case let .drawDetections(classes):
            try checkClasses(name, classes)
        }
        if case let .crop(_, _, .objects(classes)) = operation { try checkClasses("gravity", classes) }
        if case let .resize(_, _, _, _, _, .objects(classes)) = operation { try checkClasses("gravity", classes) }
    }

    static func validate(_ output: OutputSpec) throws(RecipeError) {
        if let quality = output.quality { try check("quality", "quality", quality, in: 1...100) }
        if let maxBytes = output.maxBytes { try check("max_bytes", "bytes", maxBytes, in: 1...Int(Int32.max)) }
        if !output.autoFormats.isEmpty {
            guard output.format == .auto, Set(output.autoFormats).count == output.autoFormats.count,
                  output.autoFormats.allSatisfy(OutputSpec.autoCandidates.contains) else {
                throw RecipeError(option: "format", expected: "auto with distinct formats among avif, webp",
                                  found: ([output.format] + output.autoFormats).map(\.rawValue).joined(separator: ":"))
            }
        }
        if let auto = output.autoQuality {
            try validate(auto)
            // Both come from `q` in a URL, where the later one wins; a typed recipe may not hold both.
            if auto.level != nil, let quality = output.quality {
                throw RecipeError(option: "quality", expected: "a fixed quality or auto, not both", found: "\(quality) and auto")
            }
        }
        guard output.bitDepth == 8 || output.bitDepth == 16 else {
            throw RecipeError(option: "depth", expected: "8 or 16", found: String(output.bitDepth))
        }
        try check("png_options", "compression", output.encoder.pngCompression, in: 0...9)
        try check("webp_options", "effort", output.encoder.webpEffort, in: 0...6)
        try check("avif_options", "speed", output.encoder.avifSpeed, in: 0...9)
    }

    /// The ranges `aq` accepts; a DSSIM target of 0 asks for a lossless-looking result, and the
    /// search then settles on the highest quality it may use.
    static func validate(_ auto: AutoQuality) throws(RecipeError) {
        let option = "autoquality"
        switch auto.method {
        case .size:
            guard let target = auto.target else { throw RecipeError(option: option, expected: "a target byte count for the size method") }
            try check(option, "target bytes", target, in: 1...Double(Int32.max))
        case .dssim:
            if let target = auto.target { try check(option, "target DSSIM", target, in: 0...1) }
        case .ssimulacra2:
            if let target = auto.target { try check(option, "target score", target, in: 0...100) }
        }
        if let low = auto.minQuality { try check(option, "min_quality", low, in: 1...100) }
        if let high = auto.maxQuality { try check(option, "max_quality", high, in: 1...100) }
        if let low = auto.minQuality, let high = auto.maxQuality, low > high {
            throw RecipeError(option: option, expected: "min_quality at most max_quality", found: "\(low) > \(high)")
        }
        if let error = auto.allowedError { try check(option, "allowed_error", error, in: 0...(auto.method == .ssimulacra2 ? 100 : 1)) }
    }

    /// JSON recipes name classes too; each must be one Darkroom detects.
    private static func checkClasses(_ option: String, _ classes: [String]) throws(RecipeError) {
        let known = DetectedObject.classes.sorted().joined(separator: ", ")
        guard !classes.isEmpty else { throw RecipeError(option: option, expected: "one or more object classes (\(known))") }
        if let unknown = classes.first(where: { !DetectedObject.classes.contains($0) }) {
            throw RecipeError(option: option, expected: "object classes Darkroom detects (\(known))", found: unknown)
        }
    }

    private static func check(_ option: String, _ name: String, _ value: Int, in range: ClosedRange<Int>) throws(RecipeError) {
        guard range.contains(value) else {
            throw RecipeError(option: option, expected: "\(name) in \(range.lowerBound)...\(range.upperBound)", found: String(value))
        }
    }

    private static func check(_ option: String, _ name: String, _ value: Double, in range: ClosedRange<Double>) throws(RecipeError) {
        guard value.isFinite, range.contains(value) else {
            throw RecipeError(option: option,
                              expected: "\(name) in \(NumberFormat.format(range.lowerBound))...\(NumberFormat.format(range.upperBound))",
                              found: NumberFormat.format(value))
        }
    }
}
