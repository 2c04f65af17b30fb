/// Reads recipe strings: imgproxy's `name:arg:arg` options joined by `/`.
enum RecipeParser {
    /// How the options' order is read.
    enum Order {
        /// imgproxy's semantics: a set of options applied in imgproxy's pipeline order.
        case pipeline
        /// Darkroom's canonical form: each option is one operation, run in the order written.
        case asWritten
    }

    /// Long option names by their short form; the short form is what the canonical string uses.
    static let longNames: [String: String] = [
        "rs": "resize", "s": "size", "rt": "resizing_type", "w": "width", "h": "height",
        "el": "enlarge", "ex": "extend", "g": "gravity", "c": "crop", "t": "trim",
        "rot": "rotate", "fl": "flip", "bl": "blur", "sh": "sharpen", "gs": "grayscale", "bt": "bitonal",
        "br": "brightness", "co": "contrast", "sa": "saturation", "adj": "adjust",
        "pd": "padding", "bg": "background", "wm": "watermark", "ar": "auto_rotate",
        "q": "quality", "f": "format", "sm": "strip_metadata", "obg": "output_background",
        "jpgo": "jpeg_options", "pngo": "png_options", "webpo": "webp_options",
        "avifo": "avif_options", "tiffo": "tiff_options", "pr": "preset", "cb": "cachebuster",
        "dpr": "dpr", "mb": "max_bytes", "bd": "blur_detections", "dd": "draw_detections",
        "aq": "autoquality", "fr": "frame", "dw": "dicom_window", "depth": "depth",
        "vts": "video_thumbnail_second",
    ]
    private static let shortNames: [String: String] = {
        var names = Dictionary(uniqueKeysWithValues: longNames.map { ($1, $0) })
        names["ext"] = "f"
        return names
    }()

    static func parse(_ text: String, order: Order, presets: [String: String] = [:]) throws(RecipeError) -> Recipe {
        var draft = Draft()
        var segments = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if order == .pipeline {
            if presets["default"] != nil { segments.insert("pr:default", at: 0) }
            segments = try expandPresets(segments, presets: presets, depth: 0)
        }
        for segment in segments {
            let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let written = parts[0]
            guard let short = longNames[written] != nil ? written : shortNames[written] else {
                throw RecipeError(option: written, expected: "a known processing option (\(longNames.values.sorted().joined(separator: ", ")))")
            }
            let arguments = OptionArguments(option: written, values: Array(parts.dropFirst()))
            switch order {
            case .pipeline: try draft.apply(short, arguments)
            case .asWritten: try draft.append(short, arguments)
            }
        }
        var output = draft.output
        output.autoQuality = draft.autoQualityOption ?? draft.qualityAuto
        let recipe = Recipe(unchecked: order == .pipeline ? draft.pipelineOperations() : draft.operations,
                            output: output, autoRotate: draft.autoRotate, cacheBuster: draft.cacheBuster,
                            frame: draft.frame, window: draft.window, videoSecond: draft.videoSecond)
        try RecipeValidator.validate(recipe)
        return recipe
    }
}

extension RecipeParser {
    /// Replaces `pr:name[:name…]` with the named presets' options, in place, so later options
    /// override them as in imgproxy. Presets may use presets, a few levels deep.
    static func expandPresets(_ segments: [String], presets: [String: String], depth: Int) throws(RecipeError) -> [String] {
        var result: [String] = []
        for segment in segments {
            let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts[0] == "pr" || parts[0] == "preset" else {
                result.append(segment)
                continue
            }
            guard depth < 4 else { throw RecipeError(option: parts[0], expected: "presets nested at most 4 deep") }
            guard parts.count > 1 else { throw RecipeError(option: parts[0], expected: "one or more preset names") }
            for name in parts.dropFirst() {
                guard let options = presets[name] else {
                    let known = presets.keys.sorted().joined(separator: ", ")
                    throw RecipeError(option: parts[0], expected: "a configured preset (\(known.isEmpty ? "none configured" : known))", found: name)
                }
                let inner = options.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                result.append(contentsOf: try expandPresets(inner, presets: presets, depth: depth + 1))
            }
        }
        return result
    }
}

/// The options read so far.
private struct Draft {
    var operations: [Operation] = []
    var output = OutputSpec()
    /// `q:auto[:level]`, kept apart from `aq` so that the two options combine the same way in
    /// any order: `aq` (even `aq:none`) wins over `q:auto`.
    var qualityAuto: AutoQuality?
    /// `aq`: nil when absent, `.some(nil)` for `aq:none`.
    var autoQualityOption: AutoQuality??
    var autoRotate = true
    var cacheBuster: String?
    var frame = 0
    var window = DICOMWindow.file
    var videoSecond = 0.0
    var dpr = 1.0

    // imgproxy's pipeline slots, filled in any order.
    var resize = ResizeDraft()
    var gravity: Gravity?
    var crop: CropDraft?
    var trim: Operation?
    var rotate: Double?
    var flip: Operation?
    var blur: Operation?
    var sharpen: Operation?
    var grayscale = false
    var bitonal = false
    var brightness = 0, contrast = 1.0, saturation = 1.0
    var padding: (Int, Int, Int, Int, Color?)?
    var background: Color?
    var watermark: Operation?
    var blurDetections: Operation?
    var drawDetections: Operation?

    /// imgproxy semantics: remember the option in its slot.
    mutating func apply(_ option: String, _ a: OptionArguments) throws(RecipeError) {
        switch option {
        case "rs": try a.expectCount(0...20, "resizing_type:width:height:enlarge:extend"); try resize.read(a, from: 0, type: true)
        case "s": try a.expectCount(0...4, "width:height:enlarge:extend"); try resize.read(a, from: 0, type: false)
        case "rt": try a.expectCount(1...1, "one resizing type"); resize.mode = try a.resizeMode(0)
        case "w": try a.expectCount(1...1, "one width"); resize.width = try a.int(0, "width")
        case "h": try a.expectCount(1...1, "one height"); resize.height = try a.int(0, "height")
        case "el": try a.expectCount(1...1, "one boolean"); resize.enlarge = try a.bool(0, "enlarge")
        case "ex": try a.expectCount(1...1, "one boolean"); resize.extend = try a.bool(0, "extend")
        case "g": gravity = try a.gravity(from: 0)
        case "c": crop = try CropDraft(a)
        case "t": trim = try Draft.trim(a)
        case "rot":
            try a.expectCount(1...1, "one angle in degrees")
            rotate = try a.double(0, "angle")
        case "fl": flip = try Draft.flip(a)
        case "bl": blur = try Draft.blur(a)
        case "sh": sharpen = try Draft.sharpen(a)
        case "gs": try a.expectCount(0...1, "an optional boolean"); grayscale = a.count == 0 ? true : try a.bool(0, "grayscale")
        case "bt": try a.expectCount(0...1, "an optional boolean"); bitonal = a.count == 0 ? true : try a.bool(0, "bitonal")
        case "br": try a.expectCount(1...1, "one brightness"); brightness = try a.int(0, "brightness")
        case "co": try a.expectCount(1...1, "one contrast factor"); contrast = try a.double(0, "contrast")
        case "sa": try a.expectCount(1...1, "one saturation factor"); saturation = try a.double(0, "saturation")
        case "adj":
            guard case let .adjust(b, c, s) = try Draft.adjust(a) else { return }
            (brightness, contrast, saturation) = (b, c, s)
        case "pd": padding = try Draft.padding(a)
        case "bg": background = try a.background()
        case "wm": watermark = try Draft.watermark(a)
        case "bd": blurDetections = try Draft.blurDetections(a)
        case "dd": drawDetections = try Draft.drawDetections(a)
        case "dpr":
            try a.expectCount(1...1, "one device pixel ratio")
            dpr = try a.double(0, "ratio", in: 0.1...8)
        default: try applyCommon(option, a)
        }
    }

    /// Canonical semantics: each option is the next operation.
    mutating func append(_ option: String, _ a: OptionArguments) throws(RecipeError) {
        switch option {
        case "rs":
            var draft = ResizeDraft()
            try draft.read(a, from: 0, type: true)
            if let operation = draft.operation(defaultGravity: .centre) { operations.append(operation) }
        case "c": operations.append(try CropDraft(a).operation(defaultGravity: .centre))
        case "t": operations.append(try Draft.trim(a))
        case "rot":
            try a.expectCount(1...2, "angle[:background]")
            operations.append(.rotate(degrees: try a.double(0, "angle"),
                                      background: a.has(1) ? try a.color(1, "background") : .transparent))
        case "fl": operations.append(try Draft.flip(a))
        case "bl": operations.append(try Draft.blur(a))
        case "sh": operations.append(try Draft.sharpen(a))
        case "gs":
            try a.expectCount(0...1, "an optional boolean")
            let on = a.count == 0 ? true : try a.bool(0, "grayscale")
            if on { operations.append(.grayscale) }
        case "bt":
            try a.expectCount(0...1, "an optional boolean")
            if a.count == 0 ? true : try a.bool(0, "bitonal") { operations.append(.bitonal) }
        case "adj": operations.append(try Draft.adjust(a))
        case "pd":
            let (top, right, bottom, left, color) = try Draft.padding(a)
            operations.append(.pad(top: top, right: right, bottom: bottom, left: left, background: color ?? .transparent))
        case "bg": operations.append(.flatten(background: try a.background()))
        case "wm": operations.append(try Draft.watermark(a))
        case "bd": operations.append(try Draft.blurDetections(a))
        case "dd": if let operation = try Draft.drawDetections(a) { operations.append(operation) }
        case "s", "rt", "w", "h", "el", "ex", "g", "br", "co", "sa", "dpr", "pr":
            throw RecipeError(option: a.option, expected: "a self-contained option in a canonical recipe (use rs or adj)")
        default: try applyCommon(option, a)
        }
    }

    /// Options that are not operations, read the same way in both orders.
    mutating func applyCommon(_ option: String, _ a: OptionArguments) throws(RecipeError) {
        switch option {
        case "ar": try a.expectCount(1...1, "one boolean"); autoRotate = try a.bool(0, "auto_rotate")
        case "q": try readQuality(a)
        case "aq":
            try a.expectCount(1...5, "method[:target[:min_quality[:max_quality[:allowed_error]]]]")
            autoQualityOption = .some(try Draft.autoQuality(a))
        case "f":
            try a.expectCount(1...3, "one format, or auto[:avif][:webp]")
            guard let format = OutputFormat(name: a.values[0]) else {
                throw RecipeError(option: a.option, expected: "a format: jpg, png, webp, avif, tiff, gif or auto", found: a.values[0])
            }
            output.format = format
            output.autoFormats = []
            for name in a.values.dropFirst() {
                guard format == .auto, let candidate = OutputFormat(name: name), OutputSpec.autoCandidates.contains(candidate),
                      !output.autoFormats.contains(candidate) else {
                    throw RecipeError(option: a.option, expected: "auto followed by the formats the client takes: avif, webp", found: a.values.joined(separator: ":"))
                }
                output.autoFormats.append(candidate)
            }
        case "sm": try a.expectCount(1...1, "one boolean"); output.stripMetadata = try a.bool(0, "strip_metadata")
        case "obg": try a.expectCount(1...1, "one colour"); output.background = try a.color(0, "background")
        case "jpgo":
            try a.expectCount(1...3, "progressive[:no_subsample[:optimize_coding]]")
            output.encoder.progressive = try a.bool(0, "progressive")
            if a.has(1) { output.encoder.noChromaSubsampling = try a.bool(1, "no_subsample") }
            if a.has(2) { output.encoder.optimizeCoding = try a.bool(2, "optimize_coding") }
        case "pngo":
            try a.expectCount(1...3, "interlaced[:palette[:compression]]")
            output.encoder.interlace = try a.bool(0, "interlaced")
            if a.has(1) { output.encoder.palette = try a.bool(1, "palette") }
            if a.has(2) { output.encoder.pngCompression = try a.int(2, "compression") }
        case "webpo":
            try a.expectCount(1...2, "lossless[:effort]")
            output.encoder.lossless = try a.bool(0, "lossless")
            if a.has(1) { output.encoder.webpEffort = try a.int(1, "effort") }
        case "avifo":
            try a.expectCount(1...1, "speed")
            output.encoder.avifSpeed = try a.int(0, "speed")
        case "tiffo":
            try a.expectCount(1...2, "tiled[:pyramid]")
            output.encoder.tiled = try a.bool(0, "tiled")
            if a.has(1) { output.encoder.pyramid = try a.bool(1, "pyramid") }
        case "cb":
            try a.expectCount(1...1, "one cache-buster value")
            let value = a.values[0]
            guard !value.isEmpty, value.count <= 128,
                  value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0 != "/" && $0 != ":" }) else {
                throw RecipeError(option: a.option, expected: "1 to 128 printable ASCII characters", found: value)
            }
            cacheBuster = value
        case "fr":
            try a.expectCount(1...1, "one frame number, from 0")
            frame = try a.int(0, "frame", in: 0...100_000)
        case "dw": window = try Draft.window(a)
        case "vts":
            try a.expectCount(1...1, "one second of the video, from 0")
            videoSecond = try a.double(0, "second", in: 0...1e6)
        case "depth":
            try a.expectCount(1...1, "one bit depth: 8 or 16")
            output.bitDepth = try a.int(0, "bit depth", in: 8...16)
        case "mb":
            try a.expectCount(1...1, "one byte count")
            let bytes = try a.int(0, "bytes", in: 0...Int(Int32.max))
            output.maxBytes = bytes == 0 ? nil : bytes
        default:
            throw RecipeError(option: a.option, expected: "a known processing option")
        }
    }

    /// imgproxy's pipeline order.
    func pipelineOperations() -> [Operation] {
        var result: [Operation] = []
        // The device pixel ratio scales every size the URL names, as in imgproxy.
        func scaled(_ value: Int?) -> Int? { value.map { Int((Double($0) * dpr).rounded()) } }
        var resize = resize
        resize.width = scaled(resize.width)
        resize.height = scaled(resize.height)
        let crop = crop.map { CropDraft(scaling: $0, by: dpr) }
        let padding = padding.map { (scaled($0.0)!, scaled($0.1)!, scaled($0.2)!, scaled($0.3)!, $0.4) }
        if let trim { result.append(trim) }
        if let crop { result.append(crop.operation(defaultGravity: gravity ?? .centre)) }
        if let operation = resize.operation(defaultGravity: gravity ?? .centre) { result.append(operation) }
        if let rotate, rotate.truncatingRemainder(dividingBy: 360) != 0 {
            result.append(.rotate(degrees: rotate, background: background ?? .transparent))
        }
        if let flip { result.append(flip) }
        // Faces are blurred on the final geometry, before any effect that would hide them from the detector.
        if let blurDetections { result.append(blurDetections) }
        if let blur { result.append(blur) }
        if let sharpen { result.append(sharpen) }
        if grayscale { result.append(.grayscale) }
        if bitonal { result.append(.bitonal) }
        if brightness != 0 || contrast != 1 || saturation != 1 {
            result.append(.adjust(brightness: brightness, contrast: contrast, saturation: saturation))
        }
        if let (top, right, bottom, left, color) = padding, top + right + bottom + left > 0 {
            result.append(.pad(top: top, right: right, bottom: bottom, left: left, background: color ?? background ?? .transparent))
        }
        if let background { result.append(.flatten(background: background)) }
        if let drawDetections { result.append(drawDetections) }
        if let watermark { result.append(watermark) }
        return result
    }

    /// `q:N` fixes the quality; `q:auto[:level]` chooses it per image (Cloudinary's `q_auto`).
    /// Either one replaces the other, as a repeated option does; `aq` overrides both.
    mutating func readQuality(_ a: OptionArguments) throws(RecipeError) {
        if a.values.first?.lowercased() == "auto" {
            try a.expectCount(1...2, "auto[:level]")
            let name = a.has(1) ? a.values[1].lowercased() : AutoQuality.Level.good.rawValue
            guard let level = AutoQuality.Level(rawValue: name) else {
                throw RecipeError(option: a.option, expected: "an auto level: \(AutoQuality.Level.allCases.map(\.rawValue).joined(separator: ", "))",
                                  found: a.values[1])
            }
            qualityAuto = AutoQuality(level: level)
            output.quality = nil
        } else {
            try a.expectCount(1...1, "one quality, or auto[:level]")
            output.quality = try a.int(0, "quality")
            qualityAuto = nil
        }
    }

    /// `dicom_window:file|none|lung|bone|brain|abdomen` or `dicom_window:centre:width`.
    static func window(_ a: OptionArguments) throws(RecipeError) -> DICOMWindow {
        try a.expectCount(1...2, "file, none, a preset (\(DICOMWindow.Preset.allCases.map(\.rawValue).joined(separator: ", "))) or centre:width")
        if a.count == 2 {
            return .explicit(centre: try a.double(0, "window centre"), width: try a.double(1, "window width", in: 1...1e6))
        }
        switch a.values[0].lowercased() {
        case "file": return .file
        case "none": return .none
        case let name:
            guard let preset = DICOMWindow.Preset(rawValue: name) else {
                throw RecipeError(option: a.option, expected: "file, none, a preset (\(DICOMWindow.Preset.allCases.map(\.rawValue).joined(separator: ", "))) or centre:width",
                                  found: a.values[0])
            }
            return .preset(preset)
        }
    }

    /// imgproxy Pro's `aq:method[:target[:min[:max[:allowed_error]]]]`; nil for `none`. Empty
    /// arguments take the service's defaults, as imgproxy's do.
    static func autoQuality(_ a: OptionArguments) throws(RecipeError) -> AutoQuality? {
        let methods = "none, size, dssim, ml or ssimulacra2"
        let method: AutoQuality.Method
        switch a.values[0].lowercased() {
        case "none": return nil
        case "size": method = .size
        case "dssim", "ml": method = .dssim
        case "ssimulacra2": method = .ssimulacra2
        default: throw RecipeError(option: a.option, expected: "a method: \(methods)", found: a.values[0])
        }
        var request = AutoQuality(method: method)
        if a.has(1) {
            switch method {
            case .size: request.target = Double(try a.int(1, "target bytes", in: 1...Int(Int32.max)))
            case .dssim: request.target = try a.double(1, "target DSSIM", in: 0...1)
            case .ssimulacra2: request.target = try a.double(1, "target score", in: 0...100)
            }
        }
        if a.has(2) { request.minQuality = try a.int(2, "min_quality", in: 1...100) }
        if a.has(3) { request.maxQuality = try a.int(3, "max_quality", in: 1...100) }
        if a.has(4) { request.allowedError = try a.double(4, "allowed_error", in: 0...(method == .ssimulacra2 ? 100 : 1)) }
        return request
    }

    /// imgproxy Pro's `bd:sigma[:class…]`; no class names means every class Darkroom detects.
    static func blurDetections(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...8, "sigma[:class…]")
        return .blurDetections(sigma: try a.double(0, "sigma"), classes: try detectionClasses(a, from: 1))
    }

    /// imgproxy Pro's `dd:draw[:class…]`; nil when `draw` is false.
    static func drawDetections(_ a: OptionArguments) throws(RecipeError) -> Operation? {
        try a.expectCount(1...8, "draw[:class…]")
        let classes = try detectionClasses(a, from: 1)
        return try a.bool(0, "draw") ? .drawDetections(classes: classes) : nil
    }

    private static func detectionClasses(_ a: OptionArguments, from index: Int) throws(RecipeError) -> [String] {
        let named = Array(a.values.dropFirst(index))
        if let unknown = named.first(where: { !DetectedObject.classes.contains($0) }) {
            throw RecipeError(option: a.option, expected: "object classes Darkroom detects (\(DetectedObject.classes.sorted().joined(separator: ", ")))",
                              found: unknown)
        }
        return Array(Set(named.isEmpty ? Array(DetectedObject.classes) : named)).sorted()
    }

    static func trim(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...2, "threshold[:colour]")
        return .trim(threshold: try a.double(0, "threshold"), background: a.has(1) ? try a.color(1, "colour") : nil)
    }

    static func flip(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...2, "horizontal[:vertical]")
        return .flip(horizontal: try a.bool(0, "horizontal"), vertical: a.has(1) ? try a.bool(1, "vertical") : false)
    }

    static func blur(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...1, "one sigma")
        return .blur(sigma: try a.double(0, "sigma"))
    }

    static func sharpen(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...1, "one sigma")
        return .sharpen(sigma: try a.double(0, "sigma"))
    }

    static func adjust(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(3...3, "brightness:contrast:saturation")
        return .adjust(brightness: try a.int(0, "brightness"), contrast: try a.double(1, "contrast"),
                       saturation: try a.double(2, "saturation"))
    }

    /// CSS-style shorthand, as imgproxy reads it, with an optional fifth hex colour.
    static func padding(_ a: OptionArguments) throws(RecipeError) -> (Int, Int, Int, Int, Color?) {
        try a.expectCount(1...5, "top[:right[:bottom[:left[:colour]]]]")
        let color = a.count == 5 ? try a.color(4, "colour") : nil
        let top = try a.int(0, "top")
        let right = a.has(1) ? try a.int(1, "right") : top
        let bottom = a.has(2) ? try a.int(2, "bottom") : top
        let left = a.has(3) ? try a.int(3, "left") : right
        return (top, right, bottom, left, color)
    }

    static func watermark(_ a: OptionArguments) throws(RecipeError) -> Operation {
        try a.expectCount(1...7, "opacity[:position[:x[:y[:scale]]]]")
        let opacity = try a.double(0, "opacity")
        var index = 1
        var position = Gravity.centre
        if a.has(1) {
            let width = a.values[1] == "fp" ? 3 : 1
            position = try OptionArguments(option: a.option, values: Array(a.values[1..<min(a.count, 1 + width)])).gravity(from: 0)
            index += width
        }
        let x = a.has(index) ? try a.int(index, "x offset") : 0
        let y = a.has(index + 1) ? try a.int(index + 1, "y offset") : 0
        let scale = a.has(index + 2) ? try a.double(index + 2, "scale") : 0
        guard a.count <= index + 3 else {
            throw RecipeError(option: a.option, expected: "opacity[:position[:x[:y[:scale]]]]", found: a.values.joined(separator: ":"))
        }
        return .watermark(opacity: opacity, position: position, x: x, y: y, scale: scale)
    }
}

/// The resize options, which imgproxy lets several options set piece by piece.
private struct ResizeDraft {
    var mode: ResizeMode?
    var width: Int?
    var height: Int?
    var enlarge: Bool?
    var extend: Bool?
    var gravity: Gravity?

    mutating func read(_ a: OptionArguments, from start: Int, type: Bool) throws(RecipeError) {
        var i = start
        if type { if a.has(i) { mode = try a.resizeMode(i) }; i += 1 }
        if a.has(i) { width = try a.int(i, "width") }
        if a.has(i + 1) { height = try a.int(i + 1, "height") }
        if a.has(i + 2) { enlarge = try a.bool(i + 2, "enlarge") }
        if a.has(i + 3) { extend = try a.bool(i + 3, "extend") }
        if a.count > i + 4 { gravity = try a.gravity(from: i + 4) }
    }

    func operation(defaultGravity: Gravity) -> Operation? {
        let width = width ?? 0, height = height ?? 0
        guard width > 0 || height > 0 else { return nil }
        return .resize(mode: mode ?? .fit, width: width, height: height, enlarge: enlarge ?? false,
                       extend: extend ?? false, gravity: gravity ?? defaultGravity)
    }
}

/// `c:width:height[:gravity]`, or a rectangle as `c:width:height:nowe:x:y`.
private struct CropDraft {
    let width: Int
    let height: Int
    let gravity: Gravity?
    let origin: (x: Int, y: Int)?

    init(scaling other: CropDraft, by factor: Double) {
        let keepsRectangle = other.origin != nil || factor == 1
        width = keepsRectangle ? other.width : Int((Double(other.width) * factor).rounded())
        height = keepsRectangle ? other.height : Int((Double(other.height) * factor).rounded())
        gravity = other.gravity
        origin = other.origin
    }

    init(_ a: OptionArguments) throws(RecipeError) {
        try a.expectCount(2...5, "width:height[:gravity], or width:height:nowe:x:y for a rectangle")
        width = try a.int(0, "width")
        height = try a.int(1, "height")
        if a.count == 5, a.values[2] == "nowe" {
            origin = (try a.int(3, "x"), try a.int(4, "y"))
            gravity = .northWest
        } else {
            origin = nil
            gravity = a.count > 2 ? try a.gravity(from: 2) : nil
        }
    }

    func operation(defaultGravity: Gravity) -> Operation {
        if let origin { return .extract(x: origin.x, y: origin.y, width: width, height: height) }
        return .crop(width: width, height: height, gravity: gravity ?? defaultGravity)
    }
}
