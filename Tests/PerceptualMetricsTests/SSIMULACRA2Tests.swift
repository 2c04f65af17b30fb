import Foundation
import PerceptualMetrics
import Testing
import TestSupport
import Vips

/// Darkroom's SSIMULACRA2 against the judge `bench/autoquality.py` uses (PyPI's `ssimulacra2`),
/// on a reference and three encodes of it stored losslessly with the judge's scores.
@Suite struct SSIMULACRA2Tests {
    static func pixels(_ name: String) throws -> ([UInt8], Int, Int) {
        let image = try VipsImage.load(Fixtures.data("perceptual/\(name)")).opaqueSRGB()
        return (try image.pixelBytes(), image.width, image.height)
    }

    static let judged: [(String, Double)] = {
        let text = (try? String(contentsOf: Fixtures.url("perceptual/scores.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let score = Double(fields[1]) else { return nil }
            return (String(fields[0]), score)
        }
    }()

    @Test func scoresAsTheJudgeDoes() throws {
        #expect(Self.judged.count == 3)
        let (rgb, width, height) = try Self.pixels("rocket.png")
        let reference = SSIMULACRA2.Reference(rgb: rgb, width: width, height: height)
        for (name, expected) in Self.judged {
            let (candidate, _, _) = try Self.pixels(name)
            let score = reference.score(candidate)
            #expect(abs(score - expected) < 1, "\(name): \(score), the judge says \(expected)")
        }
    }

    @Test func identicalImagesScoreAHundredAndWorseEncodesScoreLower() throws {
        let (rgb, width, height) = try Self.pixels("rocket.png")
        let reference = SSIMULACRA2.Reference(rgb: rgb, width: width, height: height)
        #expect(reference.score(rgb) == 100)
        let scores = try ["rocket-jpeg-q30.png", "rocket-jpeg-q75.png"].map { reference.score(try Self.pixels($0).0) }
        #expect(scores[0] < scores[1])
    }

    @Test func smallImagesAreMeasuredAtTheScalesTheyHave() {
        // 9×9 has one scale, 3×3 none: both answer without trapping.
        for side in [9, 3] {
            let rgb = (0..<(side * side * 3)).map { UInt8(($0 * 37) % 256) }
            let reference = SSIMULACRA2.Reference(rgb: rgb, width: side, height: side)
            #expect(reference.score(rgb) == 100)
            let noisy = rgb.map { $0 ^ 0x10 }
            #expect(reference.score(noisy) <= 100)
        }
    }
}

/// DSSIM: zero for identical images, and ordered by damage.
@Suite struct DSSIMTests {
    @Test func growsWithDamage() throws {
        func lab(_ name: String) throws -> ([Float], Int, Int) {
            let image = try VipsImage.load(Fixtures.data("perceptual/\(name)")).opaqueSRGB().colourspace(.lab)
            return (try image.floatPixels(), image.width, image.height)
        }
        let (values, width, height) = try lab("rocket.png")
        let reference = DSSIM.Reference(lab: values, width: width, height: height)
        #expect(reference.distance(values) < 1e-9)
        let rough = reference.distance(try lab("rocket-jpeg-q30.png").0)
        let fine = reference.distance(try lab("rocket-jpeg-q75.png").0)
        #expect(fine > 0 && rough > fine, "q75 \(fine), q30 \(rough)")
    }
}
