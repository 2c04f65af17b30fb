import Foundation
import Testing
import TestSupport
import Vips
@testable import ImageAnalysis

@Suite("Feature extraction")
struct FeatureExtractorTests {
    let all = FeatureExtractor(features: Set(Feature.allCases), exifTags: [])

    func features(_ image: VipsImage) throws -> ImageFeatures {
        try all.extract(from: image, sourceWidth: image.width, sourceHeight: image.height)
    }

    @Test("perceptual hashes survive resizing and recompression, and tell different images apart")
    func hashes() throws {
        let rocket = try VipsImage.load(Fixtures.data("natural/rocket.jpg"))
        let copy = try VipsImage.load(try rocket.resized(horizontal: 0.5, vertical: 0.5).encoded(.jpeg(quality: 40, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true)))
        let hopper = try VipsImage.load(Fixtures.data("natural/grace_hopper.jpg"))
        let (a, b, c) = (try features(rocket), try features(copy), try features(hopper))
        #expect(a.phash!.distance(to: b.phash!) <= 6)
        #expect(a.dhash!.distance(to: b.dhash!) <= 8)
        #expect(a.phash!.distance(to: c.phash!) >= 20)
        #expect(a.dhash!.distance(to: c.dhash!) >= 16)
    }

    @Test("sharpness falls when the image is blurred")
    func sharpness() throws {
        let rocket = try VipsImage.load(Fixtures.data("natural/rocket.jpg"))
        let sharp = try features(rocket).sharpness!
        let blurred = try features(try rocket.gaussianBlurred(sigma: 3)).sharpness!
        #expect(sharp > 100)
        #expect(blurred < sharp / 10)
    }

    @Test("dominant colours and histograms of a two-colour image")
    func colours() throws {
        // Left half red, right half blue: two colours, each half the pixels.
        var pixels: [UInt8] = []
        for _ in 0..<64 { for x in 0..<64 { pixels += x < 32 ? [255, 0, 0] : [0, 0, 255] } }
        let image = try VipsImage.fromPixels(pixels, width: 64, height: 64, bands: 3)
        let result = try features(image)
        #expect(Set(result.dominantColors!.map(\.hex)) == ["#ff0000", "#0000ff"])
        #expect(result.dominantColors!.allSatisfy { abs($0.share - 0.5) < 0.01 })
        let red = result.histogram!.channels["r"]!
        #expect(red.count == 32 && abs(red[31] - 0.5) < 0.01 && abs(red[0] - 0.5) < 0.01)
        #expect(abs(result.histogram!.channels["b"]!.reduce(0, +) - 1) < 0.001)
    }

    @Test("dimensions are the source's, EXIF tags come readable, and only what was asked is measured")
    func dimensionsAndExif() throws {
        let image = try VipsImage.load(Fixtures.data("orientation/hopper_orientation_6.jpg"))
        let extractor = FeatureExtractor(features: [.dimensions, .exif], exifTags: ["Orientation", "XResolution"])
        let result = try extractor.extract(from: image, sourceWidth: 4000, sourceHeight: 3000)
        #expect(result.dimensions == .init(width: 4000, height: 3000))
        #expect(result.exif == ["Orientation": "Right-top", "XResolution": "72"])
        #expect(result.phash == nil && result.sharpness == nil && result.histogram == nil)
    }

    @Test("hashes print as 16 hex digits and parse back")
    func hashText() throws {
        let hash = PerceptualHash(0x00ff_0000_0000_0001)
        #expect(hash.description == "00ff000000000001")
        #expect(PerceptualHash(hex: hash.description) == hash)
        #expect(PerceptualHash(hex: "xyz") == nil)
        let json = try JSONEncoder().encode(hash)
        #expect(try JSONDecoder().decode(PerceptualHash.self, from: json) == hash)
    }
}
