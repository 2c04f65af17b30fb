import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Resize")
struct ResizeTests {
    @Test("fit keeps the aspect ratio inside the box", arguments: [
        ("rs:fit:100:100", 100, 50), ("rs:fit:100:0", 100, 50), ("rs:fit:0:25", 50, 25),
        ("rs:fit:400:400", 200, 100), ("rs:fit:400:400:1", 400, 200),
    ])
    func fit(options: String, width: Int, height: Int) async throws {
        let (result, image) = try await Harness.run(options + "/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (width, height))
        let psnr = try ImageComparison.psnr(image, try Harness.quadrants(width: width, height: height))
        #expect(psnr > 20, "\(options): \(psnr) dB")
    }

    @Test("fill covers the box and crops by gravity")
    func fill() async throws {
        let (centre, image) = try await Harness.run("rs:fill:50:50/f:png", on: try Harness.quadrantPNG())
        #expect((centre.width, centre.height) == (50, 50))
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 50, height: 50)) > 25)
        let (_, west) = try await Harness.run("rs:fill:50:50/g:we/f:png", on: try Harness.quadrantPNG())
        #expect(Harness.close(try Harness.pixel(west, 40, 10), [255, 0, 0]))
        #expect(Harness.close(try Harness.pixel(west, 40, 40), [0, 0, 255]))
    }

    @Test("fill-down shrinks the box to keep its ratio instead of enlarging")
    func fillDown() async throws {
        let (result, image) = try await Harness.run("rs:fill-down:400:400/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (100, 100))
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 100, height: 100)) > 40)
    }

    @Test("force stretches to the box")
    func force() async throws {
        let (result, image) = try await Harness.run("rs:force:50:80/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (50, 80))
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 50, height: 80)) > 25)
    }

    @Test("auto fills when orientations agree and fits when they differ")
    func auto() async throws {
        let (same, _) = try await Harness.run("rs:auto:60:40/f:png", on: try Harness.quadrantPNG())
        #expect((same.width, same.height) == (60, 40))
        let (differ, _) = try await Harness.run("rs:auto:50:100/f:png", on: try Harness.quadrantPNG())
        #expect((differ.width, differ.height) == (50, 25))
    }

    @Test("extend pads the result out to the box with transparency")
    func extend() async throws {
        let (result, image) = try await Harness.run("rs:fit:300:300:0:1/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (300, 300))
        #expect(image.hasAlpha)
        #expect(try Harness.pixel(image, 5, 5)[3] == 0)
        #expect(Harness.close(try Harness.pixel(image, 75, 120), [255, 0, 0, 255]))
    }

    @Test("resize matches libvips' own resize (golden, PSNR)")
    func golden() async throws {
        let (_, image) = try await Harness.run("rs:force:64:64/f:png", on: try Fixtures.data("formats/hopper.png"))
        #expect(try ImageComparison.psnr(image, try Harness.fixture("golden/resize-half.png")) > 30)
    }

    @Test("shrink-on-load gives the same picture as a full decode and resize")
    func shrinkOnLoad() async throws {
        let source = try Fixtures.data("natural/rocket.jpg")
        let (result, image) = try await Harness.run("rs:fit:160:160/f:png", on: source)
        let full = try VipsImage.load(source).iccTransformToSRGB().resized(toWidth: result.width, height: result.height)
        #expect(try ImageComparison.ssim(image, full) > 0.95)
        #expect(try ImageComparison.psnr(image, full) > 30)
    }
}
