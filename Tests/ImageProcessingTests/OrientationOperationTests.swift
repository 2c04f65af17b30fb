import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Rotate, flip and EXIF orientation")
struct OrientationOperationTests {
    /// Rotates interleaved RGB pixels clockwise by 90°, independently of libvips.
    static func rotatedClockwise(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                let (nx, ny) = (height - 1 - y, x)
                for b in 0..<3 { out[(ny * height + nx) * 3 + b] = pixels[(y * width + x) * 3 + b] }
            }
        }
        return out
    }

    static func mirrored(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = pixels
        for y in 0..<height {
            for x in 0..<width {
                for b in 0..<3 { out[(y * width + (width - 1 - x)) * 3 + b] = pixels[(y * width + x) * 3 + b] }
            }
        }
        return out
    }

    @Test("90° steps rotate clockwise, exactly")
    func rightAngles() async throws {
        let original = SyntheticImages.quadrantPixels(width: 200, height: 100)
        let once = Self.rotatedClockwise(original, width: 200, height: 100)
        let twice = Self.rotatedClockwise(once, width: 100, height: 200)
        let thrice = Self.rotatedClockwise(twice, width: 200, height: 100)
        for (degrees, expected, w, h) in [(90, once, 100, 200), (180, twice, 200, 100), (270, thrice, 100, 200), (-90, thrice, 100, 200)] {
            let (result, image) = try await Harness.run("rot:\(degrees)/f:png", on: try Harness.quadrantPNG())
            #expect((result.width, result.height) == (w, h))
            let reference = try VipsImage.fromPixels(expected, width: w, height: h, bands: 3)
            #expect(try ImageComparison.psnr(image, reference) == .infinity, "rot:\(degrees)")
        }
    }

    @Test("any angle matches libvips' rotate (golden, PSNR)")
    func anyAngle() async throws {
        let recipe = try Recipe(canonical: "rot:30:000000/f:png")
        let (result, image) = try await Harness.run(recipe, on: try Fixtures.data("formats/hopper.png"))
        #expect((result.width, result.height) == (175, 175))
        #expect(try ImageComparison.psnr(image, try Harness.fixture("golden/rotate-30.png")) > 35)
    }

    @Test("flip mirrors horizontally and vertically")
    func flip() async throws {
        let original = SyntheticImages.quadrantPixels(width: 200, height: 100)
        let (_, horizontal) = try await Harness.run("fl:1:0/f:png", on: try Harness.quadrantPNG())
        let mirrored = try VipsImage.fromPixels(Self.mirrored(original, width: 200, height: 100), width: 200, height: 100, bands: 3)
        #expect(try ImageComparison.psnr(horizontal, mirrored) == .infinity)
        let (_, both) = try await Harness.run("fl:1:1/f:png", on: try Harness.quadrantPNG())
        #expect(try Harness.pixel(both, 0, 0) == [255, 255, 255])
        #expect(try Harness.pixel(both, 199, 99) == [255, 0, 0])
    }

    @Test("EXIF orientations come out upright by default, and stay as stored with ar:0", arguments: 2...8)
    func exif(orientation: Int) async throws {
        let source = try Fixtures.data("orientation/hopper_orientation_\(orientation).jpg")
        let reference = try Harness.fixture("formats/hopper.png")
        let (_, upright) = try await Harness.run("f:png", on: source)
        let (_, resized) = try await Harness.run("rs:fit:128:128/f:png", on: source)
        let (_, stored) = try await Harness.run("ar:0/f:png", on: source)
        #expect(try ImageComparison.psnr(upright, reference) > 25)
        #expect(try ImageComparison.psnr(resized, reference) > 25)
        #expect(try ImageComparison.psnr(stored, reference) < 20)
    }
}
