import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Crop")
struct CropTests {
    @Test("gravity picks the part to keep", arguments: [
        ("nowe", [255, 0, 0]), ("noea", [0, 255, 0]), ("sowe", [0, 0, 255]), ("soea", [255, 255, 255]),
        ("fp:0:0", [255, 0, 0]), ("fp:1:1", [255, 255, 255]),
    ])
    func gravity(token: String, colour: [Int]) async throws {
        let (result, image) = try await Harness.run("c:100:50:\(token)/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (100, 50))
        for (x, y) in [(0, 0), (99, 49), (50, 25)] {
            #expect(try Harness.pixel(image, x, y) == colour, "\(token) at \(x),\(y)")
        }
    }

    @Test("centre crop keeps the middle; a box larger than the image is clamped")
    func centre() async throws {
        let (_, image) = try await Harness.run("c:100:50/f:png", on: try Harness.quadrantPNG())
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 100, height: 50)) == .infinity)
        let (clamped, _) = try await Harness.run("c:500:20/f:png", on: try Harness.quadrantPNG())
        #expect((clamped.width, clamped.height) == (200, 20))
    }

    @Test("a rectangle is cut exactly")
    func rectangle() async throws {
        let (result, image) = try await Harness.run("c:20:20:nowe:90:40/f:png", on: try Harness.quadrantPNG())
        #expect((result.width, result.height) == (20, 20))
        #expect(try ImageComparison.psnr(image, try Harness.quadrants(width: 20, height: 20)) == .infinity)
        await #expect(throws: ProcessingError.self) {
            try await Harness.run("c:20:20:nowe:500:40", on: try Harness.quadrantPNG())
        }
    }

    @Test("smart crop matches libvips' attention crop (golden, PSNR)")
    func smart() async throws {
        let (result, image) = try await Harness.run("c:64:40:sm/f:png", on: try Fixtures.data("formats/hopper.png"))
        #expect((result.width, result.height) == (64, 40))
        #expect(try ImageComparison.psnr(image, try Harness.fixture("golden/smartcrop-64x40.png")) > 35)
    }
}
