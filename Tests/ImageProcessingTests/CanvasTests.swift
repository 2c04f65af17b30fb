import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Padding, background and trim")
struct CanvasTests {
    @Test("padding adds borders of the background colour")
    func padding() async throws {
        let (result, image) = try await Harness.run("pd:10:20:30:40/bg:ff0000/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (260, 140))
        #expect(try Harness.pixel(image, 5, 5) == [255, 0, 0])
        #expect(try Harness.pixel(image, 255, 135) == [255, 0, 0])
        #expect(try Harness.pixel(image, 45, 15) == [255, 0, 0]) // the red quadrant itself
        #expect(try Harness.pixel(image, 235, 105) == [255, 255, 255])
        let (_, clear) = try await Harness.run("pd:5/f:png", on: try Harness.quadrantPNG())
        #expect(clear.hasAlpha)
        #expect(try Harness.pixel(clear, 1, 1)[3] == 0)
    }

    @Test("background flattens alpha onto a colour")
    func flatten() async throws {
        let (_, image) = try await Harness.run("bg:00ff00/f:png", on: try Fixtures.data("pngsuite/basn6a08.png"))
        #expect(!image.hasAlpha)
        #expect(try Harness.pixel(image, 0, 0) == [0, 255, 0])        // alpha 0 there
        #expect(try Harness.pixel(image, 31, 0) == [255, 0, 8])       // alpha 255 there
    }

    @Test("JPEG output flattens alpha onto white")
    func jpegFlatten() async throws {
        let (result, image) = try await Harness.run("f:jpg", on: try Fixtures.data("pngsuite/basn6a08.png"))
        #expect(result.format == .jpeg && image.bands == 3)
        #expect(Harness.close(try Harness.pixel(image, 0, 0), [255, 255, 255], tolerance: 12))
    }

    @Test("trim removes a uniform border")
    func trim() async throws {
        let padded = try Harness.quadrants(width: 200, height: 100)
            .embedded(x: 17, y: 9, width: 240, height: 130, background: [10, 200, 10])
        let input = Data(try SyntheticImages.png(padded))
        let (result, image) = try await Harness.run("t:10/f:png", on: input)
        #expect((result.width, result.height) == (200, 100))
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 200, height: 100)) == .infinity)
        let (explicit, _) = try await Harness.run("t:10:0aC80a/f:png", on: input)
        #expect((explicit.width, explicit.height) == (200, 100))
    }
}
