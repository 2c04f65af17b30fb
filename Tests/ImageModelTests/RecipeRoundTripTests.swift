import Foundation
import ImageModel
import PropertyBased
import Testing

/// Builds valid recipes from random numbers, so that properties cover the whole grammar.
enum RecipeFactory {
    struct Entropy {
        var values: [Int]
        var index = 0
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            let value = values.isEmpty ? 0 : values[index % values.count] &+ index &* 7919
            index += 1
            return range.lowerBound + abs(value % (range.upperBound - range.lowerBound + 1))
        }
        mutating func double(_ range: ClosedRange<Int>, scale: Double = 100) -> Double {
            Double(next(range)) / scale
        }
        mutating func bool() -> Bool { next(0...1) == 1 }
        mutating func gravity() -> Gravity {
            next(0...11) == 0 ? .objects(["face"]) : position()
        }
        /// A gravity that names a place (a watermark's position): not one found by detection.
        mutating func position() -> Gravity {
            let all: [Gravity] = [.centre, .north, .south, .east, .west, .northEast, .northWest, .southEast,
                                  .southWest, .smart]
            let pick = next(0...all.count)
            return pick == all.count ? .focusPoint(x: double(0...100), y: double(0...100)) : all[pick]
        }
        mutating func colour() -> Color {
            Color(red: UInt8(next(0...255)), green: UInt8(next(0...255)), blue: UInt8(next(0...255)),
                  alpha: bool() ? 255 : UInt8(next(0...255)))
        }
    }

    static func operation(_ e: inout Entropy) -> ImageModel.Operation {
        switch e.next(0...14) {
        case 0: return .resize(mode: ResizeMode.allCases[e.next(0...4)], width: e.next(1...5000), height: e.next(0...5000),
                               enlarge: e.bool(), extend: e.bool(), gravity: e.gravity())
        case 1: return .crop(width: e.next(1...3000), height: e.next(0...3000), gravity: e.gravity())
        case 2: return .extract(x: e.next(0...1000), y: e.next(0...1000), width: e.next(1...1000), height: e.next(1...1000))
        case 3: return .rotate(degrees: e.double(-36000...36000), background: e.colour())
        case 4: return .flip(horizontal: e.bool(), vertical: e.bool())
        case 5: return .blur(sigma: e.double(1...10000))
        case 6: return .sharpen(sigma: e.double(1...10000))
        case 7: return .grayscale
        case 8: return .adjust(brightness: e.next(-255...255), contrast: e.double(0...1000), saturation: e.double(0...1000))
        case 9: return .pad(top: e.next(0...100), right: e.next(0...100), bottom: e.next(0...100), left: e.next(0...100),
                            background: e.colour())
        case 10: return .flatten(background: e.colour())
        case 11: return .trim(threshold: e.double(0...25500), background: e.bool() ? e.colour() : nil)
        case 12: return .blurDetections(sigma: e.double(1...10000), classes: ["face"])
        case 13: return .drawDetections(classes: ["face"])
        default: return .watermark(opacity: e.double(0...100), position: e.position(), x: e.next(-500...500),
                                   y: e.next(-500...500), scale: e.double(0...100))
        }
    }

    static func recipe(_ values: [Int]) -> Recipe {
        var e = Entropy(values: values)
        let operations = (0..<e.next(0...6)).map { _ in operation(&e) }
        let formats = OutputFormat.allCases
        let encoder = EncoderOptions(progressive: e.bool(), noChromaSubsampling: e.bool(), optimizeCoding: e.bool(),
                                     pngCompression: e.next(0...9), palette: e.bool(), interlace: e.bool(),
                                     lossless: e.bool(), webpEffort: e.next(0...6), avifSpeed: e.next(0...9),
                                     tiled: e.bool(), pyramid: e.bool())
        let auto = e.bool() ? autoQuality(&e) : nil
        let quality = e.bool() && auto?.level == nil ? e.next(1...100) : nil
        let output = OutputSpec(format: formats[e.next(0...formats.count - 1)], quality: quality,
                                stripMetadata: e.bool(), background: e.bool() ? e.colour() : nil, encoder: encoder,
                                maxBytes: e.bool() ? e.next(1...10_000_000) : nil, autoQuality: auto)
        var withFormats = output
        if output.format == .auto && e.bool() { withFormats.autoFormats = [[.avif, .webp], [.webp], [.webp, .avif]][e.next(0...2)] }
        return try! Recipe(operations: operations, output: withFormats, autoRotate: e.bool(),
                           cacheBuster: e.bool() ? "v\(e.next(0...99999))" : nil, frame: e.bool() ? e.next(0...1000) : 0,
                           videoSecond: e.bool() ? e.double(0...360_000) : 0)
    }

    /// A valid `aq` request, any argument possibly left to the policy.
    static func autoQuality(_ e: inout Entropy) -> AutoQuality {
        let method = AutoQuality.Method.allCases[e.next(0...2)]
        let target: Double? = switch method {
        case .size: Double(e.next(1...5_000_000))
        case .dssim: e.bool() ? e.double(0...1000, scale: 10000) : nil
        case .ssimulacra2: e.bool() ? e.double(0...10000) : nil
        }
        let low = e.bool() ? e.next(1...60) : nil
        let high = e.bool() ? e.next(60...100) : nil
        if method == .ssimulacra2 && e.next(0...3) == 0 { return AutoQuality(level: AutoQuality.Level.allCases[e.next(0...3)]) }
        return AutoQuality(method: method, target: target, minQuality: low, maxQuality: high,
                           allowedError: e.bool() ? e.double(0...100, scale: 1000) : nil)
    }

    /// imgproxy-style option strings, in random order.
    static func urlOptions(_ values: [Int]) -> String {
        var e = Entropy(values: values)
        var options = [
            "rs:\(ResizeMode.allCases[e.next(0...4)].rawValue):\(e.next(1...2000)):\(e.next(0...2000))",
            e.bool() ? "q:\(e.next(1...100))" : "q:auto:\(AutoQuality.Level.allCases[e.next(0...3)].rawValue)", "bl:\(e.next(1...50))", "sh:\(e.next(1...9))", "rot:\(e.next(0...3) * 90)",
            "c:\(e.next(1...900)):\(e.next(1...900))", "g:\(e.gravity())", "pd:\(e.next(0...20)):\(e.next(0...20))",
            "bg:\(e.colour().hex)", "fl:\(e.next(0...1)):\(e.next(0...1))", "t:\(e.next(0...50))",
            "f:\(["jpg", "png", "webp", "avif", "auto:avif:webp", "auto:webp"][e.next(0...5)])", "ar:\(e.next(0...1))", "gs:\(e.next(0...1))",
            "br:\(e.next(-50...50))", "co:\(e.double(50...150))", "sa:\(e.double(0...200))",
            "wm:\(e.double(0...100)):\(e.position()):\(e.next(-9...9)):\(e.next(-9...9))",
            "bd:\(e.next(1...30))\(e.bool() ? ":face" : "")", "dd:\(e.next(0...1)):face",
            "cb:x\(e.next(0...999))", "mb:\(e.next(1000...90000))", "dpr:\(e.next(1...3))",
            "aq:\(["dssim:0.0\(e.next(1...9))", "size:\(e.next(1000...90000))", "ssimulacra2:\(e.next(50...95))::\(e.next(60...100))", "none"][e.next(0...3)])",
        ]
        options = options.filter { _ in e.bool() }
        for i in stride(from: options.count - 1, to: 0, by: -1) { options.swapAt(i, e.next(0...i)) }
        return options.joined(separator: "/")
    }
}

@Suite("Recipe round trips")
struct RecipeRoundTripTests {
    static let entropy = Gen.int(in: 0...1_000_000_000).array(of: 1...40)

    @Test("canonical → parse → canonical is the identity")
    func canonicalRoundTrip() async {
        await propertyCheck(count: 500, input: Self.entropy) { values in
            let recipe = RecipeFactory.recipe(values)
            let reparsed = try? Recipe(canonical: recipe.canonical)
            #expect(reparsed == recipe, "\(recipe.canonical)")
            #expect(reparsed?.canonical == recipe.canonical)
            #expect(reparsed?.cacheKey == recipe.cacheKey)
        }
    }

    @Test("parse → canonical → parse keeps an imgproxy URL's meaning, in any option order")
    func urlRoundTrip() async {
        await propertyCheck(count: 500, input: Self.entropy) { values in
            let text = RecipeFactory.urlOptions(values)
            guard let parsed = try? Recipe(parsing: text) else {
                Issue.record("generated options did not parse: \(text)")
                return
            }
            #expect((try? Recipe(canonical: parsed.canonical)) == parsed, "\(text) → \(parsed.canonical)")
            let reversed = text.split(separator: "/").reversed().joined(separator: "/")
            #expect((try? Recipe(parsing: reversed)) == parsed, "\(text)")
        }
    }

    @Test("JSON encodes and decodes to the same recipe")
    func jsonRoundTrip() async {
        await propertyCheck(count: 200, input: Self.entropy) { values in
            let recipe = RecipeFactory.recipe(values)
            let data = try! JSONEncoder().encode(recipe)
            #expect((try? JSONDecoder().decode(Recipe.self, from: data)) == recipe)
        }
    }

    @Test("JSON recipes are validated and may omit defaults")
    func jsonValidation() throws {
        let minimal = try JSONDecoder().decode(Recipe.self, from: Data(#"{"operations":[{"blur":{"sigma":2}}]}"#.utf8))
        #expect(minimal.operations == [.blur(sigma: 2)] && minimal.autoRotate && minimal.output == OutputSpec())
        #expect(throws: RecipeError.self) {
            try JSONDecoder().decode(Recipe.self, from: Data(#"{"operations":[{"blur":{"sigma":-2}}]}"#.utf8))
        }
    }

    @Test("cache keys are pinned: the same on every run and every machine")
    func pinnedCacheKeys() throws {
        let pinned: [(String, String)] = [
            ("rs:fill:300:200/q:80", "52a8ca82a1b1afd320baaf55aef0b6a809e8abce98b609aa06d37d9487335483"),
            ("rs:fit:400:400/q:80", "fd7c2ddcb99bc580fc67cc5d86fcc8f888aae4fad1aa7fe68e99a5e86715bf65"),
            ("", "a600bcbcb253065dbcf7ec3c54758215eccf5bd327fd3b774a2bfda04b0fd301"),
            ("c:100:100:sm/bl:2/f:webp", "024fbf032073848e58703dfc562e4b318b8eb9e1ce6f03c91d77a3efd443e5bd"),
        ]
        for (options, key) in pinned {
            #expect(try Recipe(parsing: options).cacheKey == key, "\(options)")
        }
        #expect(try Recipe(parsing: "q:80").cacheKey != Recipe(parsing: "q:81").cacheKey)
        // The key is SHA-256 of a version line and the canonical form (checked with Python's hashlib).
        #expect(try Recipe(parsing: "rs:fill:300:200/q:80").canonical == "rs:fill:300:200:0:0:ce/q:80")
    }
}
