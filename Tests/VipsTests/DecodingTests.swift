import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("Decoding")
struct DecodingTests {
    @Test("every bundled format decodes to pixels", arguments: [
        "formats/hopper.jpg", "formats/hopper.png", "formats/hopper.webp", "formats/hopper.gif",
        "formats/hopper.tif", "jpeg/video-001.progressive.jpeg", "jpeg/video-005.gray.jpeg",
    ])
    func decodes(_ path: String) throws {
        let image = try VipsImage.load(try Fixtures.data(path))
        let pixels = try image.pixelBytes()
        #expect(image.width > 0 && image.height > 0)
        #expect(pixels.count == image.width * image.height * image.bands)
    }

    @Test("AVIF written by libheif/libaom decodes back")
    func avifRoundTrip() throws {
        let source = try VipsImage.load(try Fixtures.data("formats/hopper.png"))
        let avif = try source.encoded(.avif(quality: 70, effort: 2, strip: true))
        let header = try VipsImage.probe(avif)
        #expect(header.format == "avif")
        let decoded = try VipsImage.load(avif)
        #expect(try ImageComparison.psnr(source, decoded) > 28)
    }

    @Test("every PngSuite image decodes: bit depths, palettes, transparency")
    func pngSuite() throws {
        let files = try Fixtures.files(in: "pngsuite", extensions: ["png"])
        #expect(files.count >= 30)
        for file in files {
            let image = try VipsImage.load(try Fixtures.data(file))
            let normalised = try ImageComparison.normalised(image)
            #expect(try normalised.pixelBytes().count == image.width * image.height * 3, "\(file)")
        }
    }

    @Test("every TIFF and WebP variant decodes")
    func tiffAndWebP() throws {
        let files = try Fixtures.files(in: "webp_tiff", extensions: ["tiff", "webp"])
        #expect(files.count >= 20)
        for file in files {
            let image = try VipsImage.load(try Fixtures.data(file))
            #expect(try image.pixelBytes().count == image.width * image.height * image.bands, "\(file)")
        }
    }

    @Test("the header probe reads size, orientation, alpha and ICC without decoding")
    func probe() throws {
        let rocket = try VipsImage.probe(try Fixtures.data("natural/rocket.jpg"))
        #expect(rocket == ImageHeader(format: "jpeg", width: 640, height: 427, bands: 3, orientation: 1,
                                      hasAlpha: false, pages: 1, hasICCProfile: true))
        let rotated = try VipsImage.probe(try Fixtures.data("orientation/hopper_orientation_6.jpg"))
        #expect(rotated.orientation == 6)
        let alpha = try VipsImage.probe(try Fixtures.data("pngsuite/basn6a08.png"))
        #expect(alpha.hasAlpha && alpha.bands == 4 && alpha.format == "png")
        let gif = try VipsImage.probe(try Fixtures.data("formats/hopper.gif"))
        #expect(gif.format == "gif")
    }

    @Test("libvips' own threading is configurable and starts at one thread per operation")
    func concurrency() throws {
        #expect(VipsRuntime.concurrency == 1)
        try VipsRuntime.setConcurrency(2)
        #expect(VipsRuntime.concurrency == 2)
        try VipsRuntime.setConcurrency(1)
        #expect(VipsRuntime.concurrency == 1)
    }

    @Test("a lying header is read as it claims, without allocating the pixels")
    func bombHeader() throws {
        let bomb = CorruptedInputs.pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000)
        let header = try VipsImage.probe(bomb)
        #expect(header.width == 50_000 && header.height == 50_000)
    }
}
