import ImageModel
import Testing

/// `aq` (imgproxy Pro's grammar) and `q:auto`: what they parse to, their canonical form, and
/// the errors that name the option.
@Suite struct AutoQualityOptionTests {
    @Test func imgproxysFullFormParses() throws {
        let recipe = try Recipe(parsing: "rs:fit:800:0/autoquality:dssim:0.02:70:80:0.001")
        #expect(recipe.output.autoQuality == AutoQuality(method: .dssim, target: 0.02, minQuality: 70, maxQuality: 80, allowedError: 0.001))
        #expect(recipe.canonical.hasSuffix("aq:dssim:0.02:70:80:0.001"))
        #expect(try Recipe(canonical: recipe.canonical) == recipe)
    }

    @Test func emptyArgumentsAreLeftToThePolicy() throws {
        let auto = try Recipe(parsing: "aq:ssimulacra2::60").output.autoQuality
        #expect(auto == AutoQuality(method: .ssimulacra2, minQuality: 60))
        let resolved = AutoQualityPolicy().resolved(try #require(auto), for: .avif)
        #expect(resolved.target == AutoQualityPolicy.defaultGoodScores[.avif])
        // AVIF's range is 30–85; the given minimum is kept.
        #expect(resolved.qualities == 60...85)
    }

    @Test func mlIsReadAsDSSIMAndNoneTurnsItOff() throws {
        #expect(try Recipe(parsing: "aq:ml:0.01").output.autoQuality?.method == .dssim)
        #expect(try Recipe(parsing: "q:auto/aq:none").output.autoQuality == nil)
        #expect(try Recipe(parsing: "aq:none/q:auto").output.autoQuality == nil)
    }

    @Test func qualityAutoLevelsMapToDocumentedTargets() throws {
        let policy = AutoQualityPolicy(goodScores: [.webp: 70])
        for level in AutoQuality.Level.allCases {
            let recipe = try Recipe(parsing: "q:auto:\(level.rawValue)")
            let auto = try #require(recipe.output.autoQuality)
            #expect(auto.level == level && auto.method == .ssimulacra2 && auto.target == nil)
            #expect(recipe.canonical == "q:auto:\(level.rawValue)")
            #expect(policy.resolved(auto, for: .webp).target == 70 + level.offset)
            #expect(policy.resolved(auto, for: .jpeg).target == AutoQualityPolicy.defaultGoodScores[.jpeg]! + level.offset)
        }
        #expect(try Recipe(parsing: "q:auto").output.autoQuality?.level == .good)
        // A fixed quality later in a canonical recipe replaces q:auto, as a repeated option does.
        let fixed = try Recipe(canonical: "q:auto/q:70").output
        #expect(fixed.autoQuality == nil && fixed.quality == 70)
        // aq wins over q:auto in any order.
        #expect(try Recipe(parsing: "aq:dssim:0.03/q:auto").output.autoQuality?.method == .dssim)
    }

    @Test(arguments: [
        ("aq:butteraugli", "aq", "a method"),
        ("aq:dssim:1.5", "aq", "target DSSIM"),
        ("aq:ssimulacra2:101", "aq", "target score"),
        ("aq:size", "autoquality", "target byte count"),
        ("aq:size:0", "aq", "target bytes"),
        ("aq:dssim:0.02:90:70", "autoquality", "min_quality at most max_quality"),
        ("aq:dssim:0.02:0", "aq", "min_quality"),
        ("aq:dssim:0.02:10:101", "aq", "max_quality"),
        ("aq:dssim:0.02:10:90:-1", "aq", "allowed_error"),
        ("aq:dssim:0.02:10:90:0.1:7", "aq", "method[:target"),
        ("q:auto:great", "q", "an auto level"),
        ("autoquality:dssim:x", "autoquality", "target DSSIM"),
    ])
    func badOptionsNameTheOption(text: String, option: String, expected: String) {
        do {
            _ = try Recipe(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.option == option, "\(text): \(error)")
            #expect(error.expected.contains(expected), "\(text): \(error)")
        }
    }

    @Test func jsonRecipesAreValidatedToo() {
        let output = OutputSpec(autoQuality: AutoQuality(method: .size))
        #expect(throws: RecipeError.self) { try Recipe(output: output) }
        #expect(throws: RecipeError.self) { try Recipe(output: OutputSpec(quality: 70, autoQuality: AutoQuality(level: .eco))) }
    }
}

/// `f:auto[:avif][:webp]`: the formats `auto` may choose beyond JPEG and PNG.
@Suite struct AutoFormatOptionTests {
    @Test func autoListsTheFormatsTheClientTakes() throws {
        let recipe = try Recipe(parsing: "f:auto:avif:webp")
        #expect(recipe.output.format == .auto && recipe.output.autoFormats == [.avif, .webp])
        #expect(recipe.canonical == "f:auto:avif:webp")
        #expect(try Recipe(canonical: recipe.canonical) == recipe)
        #expect(try Recipe(parsing: "f:auto").canonical == "")
        // A later f replaces the list, as a repeated option does.
        #expect(try Recipe(canonical: "f:auto:webp/f:png").output.autoFormats == [])
    }

    @Test(arguments: ["f:auto:gif", "f:auto:webp:webp", "f:png:webp", "f:auto:auto"])
    func badListsNameTheOption(text: String) {
        #expect(throws: RecipeError.self) { try Recipe(parsing: text) }
        do { _ = try Recipe(parsing: text) } catch { #expect(error.option == "f") }
    }

    @Test func typedRecipesAreValidatedToo() {
        #expect(throws: RecipeError.self) { try Recipe(output: OutputSpec(format: .png, autoFormats: [.webp])) }
        #expect(throws: RecipeError.self) { try Recipe(output: OutputSpec(autoFormats: [.jpeg])) }
    }
}
