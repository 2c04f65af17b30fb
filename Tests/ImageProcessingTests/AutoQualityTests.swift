import Foundation
import ImageModel
@testable import ImageProcessing
import PerceptualMetrics
import Testing
import TestSupport
import Vips

/// `aq` and `q:auto` end to end on real photos: the chosen quality meets its target as an
/// independent SSIMULACRA2 measurement of the whole result sees it, within the search's budget.
@Suite struct AutoQualityTests {
    static let rocket = try! Fixtures.data("natural/rocket.jpg")

    /// SSIMULACRA2 of `result` against the lossless render of the same geometry, measured on a
    /// pixel thread: the suite's timing-sensitive tests need Swift's cooperative threads free.
    static func score(_ result: ProcessedImage, geometry: String) async throws -> Double {
        let (lossless, _) = try await Harness.run("\(geometry)/f:png", on: rocket)
        let encoded = result.data, reference = lossless.data
        return try await Harness.pool.run { _ in
            let original = try VipsImage.load(reference).opaqueSRGB()
            let measured = SSIMULACRA2.Reference(rgb: try original.pixelBytes(), width: original.width, height: original.height)
            return measured.score(try VipsImage.load(encoded).opaqueSRGB().pixelBytes())
        }
    }

    @Test(arguments: ["jpg", "webp"])
    func qualityAutoMeetsItsTargetWithinTheBudget(format: String) async throws {
        let (result, _) = try await Harness.run("rs:fit:400:400/q:auto/f:\(format)", on: Self.rocket)
        let search = try #require(result.qualitySearch)
        // Four encodes for the search, and for a JPEG whose chroma needed it, three for whole chroma.
        #expect(search.met && search.fullEncodes <= EncodeStep.fullEncodes + (search.wholeChroma ? EncodeStep.wholeChromaEncodes : 0))
        let quality = try #require(result.quality)
        #expect((40...95).contains(quality))
        let score = try await Self.score(result, geometry: "rs:fit:400:400")
        let target = AutoQualityPolicy.defaultGoodScores[format == "jpg" ? .jpeg : .webp]!
        #expect(score >= target - 1, "q\(quality) scored \(score)")
    }

    @Test func aHigherTargetCostsQualityAndBytes() async throws {
        let (low, _) = try await Harness.run("rs:fit:400:400/aq:ssimulacra2:55:10:95/f:jpg", on: Self.rocket)
        let (high, _) = try await Harness.run("rs:fit:400:400/aq:ssimulacra2:85:10:95/f:jpg", on: Self.rocket)
        #expect(try #require(low.quality) < (try #require(high.quality)))
        #expect(low.data.count < high.data.count)
    }

    @Test func largeImagesAreSearchedOnASampleAndEncodedOnce() async throws {
        let (result, image) = try await Harness.run("rs:fit:1200:1200/el:1/q:auto/f:jpg", on: Self.rocket)
        #expect(image.width * image.height > 4 * 336 * 336)
        let search = try #require(result.qualitySearch)
        #expect(search.fullEncodes == 1 && search.sampleProbes >= 1 && search.sampleProbes <= EncodeStep.sampleTries)
        // A sample approximates the whole image to within a point or two; the search's margin
        // (1.5 points) absorbs most of that.
        let score = try await Self.score(result, geometry: "rs:fit:1200:1200/el:1")
        #expect(score >= AutoQualityPolicy.defaultGoodScores[.jpeg]! - 1.5, "q\(result.quality ?? 0) scored \(score)")
    }

    @Test func anUnreachableTargetGivesTheClosestQualityFlagged() async throws {
        let (best, _) = try await Harness.run("rs:fit:300:300/aq:ssimulacra2:99.5:40:60/f:jpg", on: Self.rocket)
        #expect(best.quality == 60 && best.qualitySearch?.met == false)
        let (smallest, _) = try await Harness.run("rs:fit:300:300/aq:size:200:20:80/f:webp", on: Self.rocket)
        #expect(smallest.quality == 20 && smallest.qualitySearch?.met == false)
        #expect((smallest.qualitySearch?.fullEncodes ?? 99) <= EncodeStep.fullEncodes)
    }

    @Test func aByteBudgetIsMetByTheHighestQualityThatFits() async throws {
        let (fixed, _) = try await Harness.run("rs:fit:300:300/q:85/f:jpg", on: Self.rocket)
        let budget = fixed.data.count * 6 / 10
        let (fitted, _) = try await Harness.run("rs:fit:300:300/aq:size:\(budget):10:85/f:jpg", on: Self.rocket)
        #expect(fitted.data.count <= budget && fitted.qualitySearch?.met == true)
        #expect((fitted.quality ?? 0) > 10 && (fitted.quality ?? 99) < 85)
    }

    @Test func aNeighboursQualitySeedsTheSearch() async throws {
        let recipe = try Recipe(parsing: "rs:fit:400:400/q:auto/f:webp")
        let first = try await Harness.processor().run(recipe, on: .bytes(Self.rocket))
        let seeded = try await Harness.processor().run(recipe, on: .bytes(Self.rocket), qualitySeed: first.quality)
        #expect(seeded.quality == first.quality)
        #expect(try #require(seeded.qualitySearch).fullEncodes <= (try #require(first.qualitySearch)).fullEncodes)
    }

    @Test func onePixelAndLosslessOutputsAreDocumentedResults() async throws {
        let pixel = Data(try SyntheticImages.png(try SyntheticImages.quadrants(width: 1, height: 1)))
        let (tiny, image) = try await Harness.run("q:auto/f:jpg", on: pixel)
        #expect(image.width == 1 && tiny.quality != nil && tiny.qualitySearch != nil)
        // Lossless formats have no quality to choose: aq is ignored, as in imgproxy.
        let (png, _) = try await Harness.run("rs:fit:100:100/q:auto/f:png", on: Self.rocket)
        #expect(png.quality == nil && png.qualitySearch == nil)
    }
}

/// The search itself, on made-up curves: few tries, and the answer on the right side of the target.
@Suite struct QualitySearchTests {
    static func curve(_ quality: Int) -> Double { 60 * exp(-0.03 * Double(quality)) }

    @Test(arguments: [8.0, 12.0, 20.0, 30.0])
    func findsTheLowestQualityThatMeetsADistance(target: Double) {
        let request = ResolvedAutoQuality(method: .dssim, target: target, qualities: 10...95, allowedError: 0.3)
        var tries = 0
        let outcome = QualitySearch(request: request).run(from: 52, tries: 6) { quality in
            tries += 1
            return Self.curve(quality)
        }
        #expect(outcome.met && Self.curve(outcome.quality) <= target)
        // Within the allowed error, or the one quality below fails.
        #expect(Self.curve(outcome.quality) >= target - 0.3 || Self.curve(outcome.quality - 1) > target)
        #expect(tries <= 4, "\(tries) tries for \(target)")
    }

    @Test func aScoreTargetIsADistanceFromAHundred() {
        let request = ResolvedAutoQuality(method: .ssimulacra2, target: 80, qualities: 10...95, allowedError: 1)
        let outcome = QualitySearch(request: request).run(from: 50, tries: 6) { Self.curve($0) * 2 }
        #expect(outcome.met && 100 - Self.curve(outcome.quality) * 2 >= 80)
    }

    @Test func theLastTryMeasuresTheClosestEnd() {
        let request = ResolvedAutoQuality(method: .dssim, target: 0.001, qualities: 30...70, allowedError: 0)
        let outcome = QualitySearch(request: request).run(from: 40, tries: 3) { Self.curve($0) }
        #expect(!outcome.met && outcome.quality == 70 && outcome.probes.last?.quality == 70)
    }
}

/// JPEG's chroma: below q90 libvips halves it, and a chroma-rich picture may meet its target
/// only at q90 and up; whole chroma at a lower quality meets it in fewer bytes.
@Suite struct WholeChromaTests {
    @Test(arguments: ["rs:fit:400:400", "rs:fit:900:900/el:1/sh:1"])
    func aChromaRichPictureKeepsItsChromaAtALowerQuality(geometry: String) async throws {
        let rocket = try Fixtures.data("natural/rocket.jpg")
        let (auto, _) = try await Harness.run("\(geometry)/q:auto/f:jpg", on: rocket)
        let search = try #require(auto.qualitySearch)
        #expect(search.met && search.fullEncodes <= EncodeStep.fullEncodes + EncodeStep.wholeChromaEncodes)
        #expect(search.wholeChroma, "q\(auto.quality ?? 0)")
        #expect((auto.quality ?? 100) < 90)
        // Halved chroma needs q90 and up for the same target: more bytes.
        let halved = try await Harness.run("\(geometry)/aq:ssimulacra2:79:90:95/f:jpg", on: rocket).0
        #expect(auto.data.count < halved.data.count)
        let score = try await AutoQualityTests.score(auto, geometry: geometry)
        #expect(score >= 77.5, "\(score)")
    }

    @Test func anExplicitChromaChoiceIsKept() async throws {
        let (fixed, _) = try await Harness.run("rs:fit:400:400/q:auto/jpgo:0:0:1/f:jpg", on: try Fixtures.data("natural/chelsea.jpg"))
        #expect(fixed.qualitySearch?.wholeChroma == false)
    }
}
