import Foundation
import ImageProcessing
import Scheduling
import Testing
import TestSupport
import Vips
import Vision
@testable import ImageAnalysis

/// Each quality score, under the degradation it measures, on every photo among the fixtures
/// (nine, from JPEG, WebP and 16-bit TIFF): the degraded copy must score worse than the
/// original, in all of them here (the issue asks for 95%).
@Suite("Quality scores")
struct QualityScoreTests {
    static let extractor = FeatureExtractor(features: [.quality], exifTags: [])

    static func scores(_ image: VipsImage) throws -> QualityScores {
        try extractor.extract(from: image, sourceWidth: image.width, sourceHeight: image.height).quality!
    }

    /// `image` with Gaussian noise of deviation `sigma` added to every channel, seeded.
    static func noisy(_ image: VipsImage, sigma: Double) throws -> VipsImage {
        var generator = SplitMix64(seed: 42)
        let pixels = try image.pixelBytes().map { value -> UInt8 in
            // Box–Muller.
            let u1 = max(Double.leastNonzeroMagnitude, Double(generator.next() >> 11) / Double(1 << 53))
            let u2 = Double(generator.next() >> 11) / Double(1 << 53)
            let noise = sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            return UInt8(clamping: Int((Double(value) + noise).rounded()))
        }
        return try VipsImage.fromPixels(pixels, width: image.width, height: image.height, bands: image.bands)
    }

    /// Every photo among the fixtures: the five natural ones, the astronaut, Go's video frame,
    /// a lossy WebP rose, and a 16-bit TIFF.
    static let corpus = SignatureFixtures.photos.map { "natural/\($0).jpg" } + [
        "faces/astronaut.jpg", "jpeg/video-001.jpeg", "webp_tiff/yellow_rose.lossy.webp", "webp_tiff/video-001-16bit.tiff",
    ]

    /// A photo as the scores see it: 8 bits a band, as the pipeline's working image is.
    static func eightBit(_ image: VipsImage) throws -> VipsImage {
        image.bands == 1 ? try image.cast(to: .uchar) : try image.opaqueSRGB()
    }

    /// The scores of a photo and of each of its degradations.
    struct Degraded: Sendable {
        let original, blurred, noisy, dark, bright, jpeg, washed: QualityScores
    }

    /// Pixel work runs on a pixel pool, as in the product, never on the test's cooperative
    /// thread: nine photos scored there at once starved the timing tests beside them.
    static let pool = PixelPool(threads: 2, maxQueued: 64)

    static func degraded(_ name: String) async throws -> Degraded {
        let data = try Fixtures.data(name)
        return try await pool.run { _ in
            let photo = try Self.eightBit(VipsImage.load(data))
            let jpeg = try VipsImage.load(photo.encoded(.jpeg(quality: 10, progressive: false, optimizeCoding: false,
                                                              subsampling: .auto, strip: true)))
            return Degraded(original: try scores(photo), blurred: try scores(photo.gaussianBlurred(sigma: 2)),
                            noisy: try scores(noisy(photo, sigma: 12)), dark: try scores(photo.linear([0.3], [-10])),
                            bright: try scores(photo.linear([1.8], [60])), jpeg: try scores(jpeg),
                            washed: try scores(photo.linear([0.4], [77])))
        }
    }

    @Test("blur lowers sharpness, noise raises the noise, under- and over-exposure clip, washing out lowers colourfulness",
          arguments: QualityScoreTests.corpus)
    func degradations(name: String) async throws {
        let d = try await Self.degraded(name), original = d.original
        #expect(d.blurred.sharpness < original.sharpness, "\(name): blur \(d.blurred.sharpness) vs \(original.sharpness)")
        #expect(d.noisy.noise > original.noise + 3, "\(name): noise \(d.noisy.noise) vs \(original.noise)")
        #expect(d.dark.meanLuminance < original.meanLuminance && d.dark.clippedShadows > original.clippedShadows,
                "\(name): dark \(d.dark) vs \(original)")
        #expect(d.bright.clippedHighlights > original.clippedHighlights, "\(name): bright \(d.bright) vs \(original)")
        // BRISQUE, the perceptual score, rises (worse) under blur, noise and heavy JPEG.
        let (base, worse) = (try #require(original.brisque), [d.blurred.brisque, d.noisy.brisque, d.jpeg.brisque])
        #expect(worse.allSatisfy { ($0 ?? 0) > base }, "\(name): BRISQUE \(base) → blur, noise, q10 \(worse)")
        #expect(d.washed.colourfulness < original.colourfulness || original.colourfulness < 1, "\(name): washed \(d.washed) vs \(original)")
    }

    @Test("a flat grey image has no noise, no colour and no clipping; black and white clip fully")
    func extremes() throws {
        let grey = try Self.scores(VipsImage.fromPixels([UInt8](repeating: 128, count: 64 * 64 * 3), width: 64, height: 64, bands: 3))
        #expect(grey.noise == 0 && grey.colourfulness == 0 && grey.clipped == 0 && abs(grey.meanLuminance - 128.0 / 255) < 0.001)
        let black = try Self.scores(VipsImage.fromPixels([UInt8](repeating: 0, count: 32 * 32 * 3), width: 32, height: 32, bands: 3))
        #expect(black.clippedShadows == 1 && black.meanLuminance == 0)
        let white = try Self.scores(VipsImage.fromPixels([UInt8](repeating: 255, count: 32 * 32), width: 32, height: 32, bands: 1))
        #expect(white.clippedHighlights == 1 && white.colourfulness == 0)
        let tiny = try Self.scores(VipsImage.fromPixels([10, 200, 30], width: 1, height: 1, bands: 3))
        #expect(tiny.noise == 0 && tiny.sharpness == 0 && tiny.brisque == nil)
    }

    @Test("BRISQUE without its model files is null (a max_brisque check then fails), and says which file is missing")
    func missingModel() throws {
        let missing = BRISQUE(folder: "/nonexistent")
        #expect(!missing.isAvailable)
        let grey = GreyPlane(width: 32, height: 32, values: (0..<1024).map { Double($0 % 256) })
        let scores = QualityScores(grey: grey, pixels: [UInt8](repeating: 7, count: 1024 * 3), bands: 3, brisque: missing)
        #expect(scores.brisque == nil)
        #expect(throws: VisionError.self) { try missing.score(GreyPixels(width: 32, height: 32, bytes: [UInt8](repeating: 0, count: 1024))) }
        #expect(BRISQUE().isAvailable, "Debian's opencv-data is installed by scripts/bootstrap")
    }
}
