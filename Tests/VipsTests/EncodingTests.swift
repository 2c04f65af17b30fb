import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("Encoding")
struct EncodingTests {
    static let cases: [(SaveOptions, String, Double)] = [
        (.jpeg(quality: 85, progressive: true, optimizeCoding: true, subsampling: .off, strip: true), "jpeg", 30),
        (.jpeg(quality: 60, progressive: false, optimizeCoding: false, subsampling: .on, strip: false), "jpeg", 25),
        (.png(compression: 9, palette: false, quality: 100, interlace: false, strip: true), "png", .infinity),
        (.png(compression: 6, palette: true, quality: 90, interlace: true, strip: true), "png", 25),
        (.webp(quality: 80, lossless: false, effort: 4, strip: true), "webp", 28),
        (.webp(quality: 100, lossless: true, effort: 0, strip: true), "webp", .infinity),
        (.avif(quality: 60, effort: 0, strip: true), "avif", 26),
        (.tiff(compression: .deflate, quality: 75, tiled: false, tileSize: 256, pyramid: false, strip: true), "tiff", .infinity),
        (.tiff(compression: .jpeg, quality: 90, tiled: true, tileSize: 64, pyramid: true, strip: true), "tiff", 30),
        (.gif(effort: 7, strip: true), "gif", 20),
    ]

    @Test("each encoder writes a file that decodes to the same picture", arguments: cases.indices)
    func roundTrip(_ index: Int) throws {
        let (options, format, minimumPSNR) = Self.cases[index]
        let source = try VipsImage.load(try Fixtures.data("formats/hopper.png"))
        let bytes = try source.encoded(options)
        let header = try VipsImage.probe(bytes)
        #expect(header.format == format)
        #expect(header.width == 128 && header.height == 128)
        let psnr = try ImageComparison.psnr(source, try VipsImage.load(bytes))
        #expect(psnr >= minimumPSNR, "\(options): PSNR \(psnr)")
    }

    @Test("a pyramidal TIFF holds every halving level")
    func pyramid() throws {
        let source = try VipsImage.load(try Fixtures.data("natural/rocket.jpg"))
        let bytes = try source.encoded(.tiff(compression: .jpeg, quality: 80, tiled: true, tileSize: 64,
                                             pyramid: true, strip: true))
        // 640 → 320 → 160 → 80 → 40: libvips stops once a level fits in one tile.
        #expect(try VipsImage.probe(bytes).pages >= 4)
    }

    @Test("strip removes EXIF and ICC; keeping metadata keeps them")
    func strip() throws {
        let rocket = try VipsImage.load(try Fixtures.data("natural/rocket.jpg"))
        let kept = try rocket.encoded(.jpeg(quality: 80, progressive: false, optimizeCoding: true, subsampling: .auto, strip: false))
        let stripped = try rocket.encoded(.jpeg(quality: 80, progressive: false, optimizeCoding: true, subsampling: .auto, strip: true))
        #expect(try VipsImage.probe(kept).hasICCProfile)
        #expect(try !VipsImage.probe(stripped).hasICCProfile)
        #expect(stripped.count < kept.count)
    }
}
