import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Filters")
struct FilterTests {
    @Test("blur, sharpen, grayscale and brightness/contrast match libvips (goldens, PSNR)", arguments: [
        ("bl:2/f:png", "golden/blur-2.png"),
        ("sh:1/f:png", "golden/sharpen-1.png"),
        ("gs:1/f:png", "golden/grayscale.png"),
        ("br:10/co:1.2/f:png", "golden/adjust.png"),
    ])
    func golden(options: String, golden: String) async throws {
        let source = try Fixtures.data("formats/hopper.png")
        let (_, image) = try await Harness.run(options, on: source)
        let psnr = try ImageComparison.psnr(image, try Harness.fixture(golden))
        #expect(psnr > 35, "\(options): \(psnr) dB")
        // The check can fail: the untouched source is far from the golden.
        #expect(try ImageComparison.psnr(try VipsImage.load(source), try Harness.fixture(golden)) < psnr - 5)
    }

    @Test("max_bytes lowers the quality until the result fits")
    func maxBytes() async throws {
        let source = try Fixtures.data("natural/rocket.jpg")
        let (full, _) = try await Harness.run("rs:fit:320:320/q:90", on: source)
        let (capped, image) = try await Harness.run("rs:fit:320:320/q:90/mb:\(full.data.count / 2)", on: source)
        #expect(capped.data.count <= full.data.count / 2)
        #expect((capped.width, capped.height) == (full.width, full.height))
        #expect(try ImageComparison.ssim(image, try VipsImage.load(full.data)) > 0.8)
    }

    @Test("grayscale output has one band")
    func grayscaleBands() async throws {
        let (_, image) = try await Harness.run("gs:1/f:png", on: try Fixtures.data("formats/hopper.png"))
        #expect(image.bands == 1)
    }

    @Test("saturation 0 removes colour, saturation 2 adds it")
    func saturation() async throws {
        let source = try Fixtures.data("formats/hopper.png")
        let (_, grey) = try await Harness.run("sa:0/f:png", on: source)
        let (_, vivid) = try await Harness.run("sa:2/f:png", on: source)
        func spread(_ image: VipsImage) throws -> Int {
            var total = 0
            for (x, y) in [(10, 10), (64, 64), (100, 30), (30, 100)] {
                let p = try Harness.pixel(image, x, y)
                total += p.max()! - p.min()!
            }
            return total
        }
        #expect(try spread(grey) <= 8)
        #expect(try spread(vivid) > spread(try VipsImage.load(source)))
    }
}
