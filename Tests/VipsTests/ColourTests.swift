import Foundation
import Testing
import TestSupport
import Vips

@Suite("Colour")
struct ColourTests {
    @Test("CMYK JPEG becomes sRGB, close to an independent decoder's result")
    func cmyk() throws {
        let cmyk = try VipsImage.load(try Fixtures.data("jpeg/video-001.cmyk.jpeg"))
        #expect(cmyk.interpretation == .cmyk && cmyk.bands == 4)
        let srgb = try cmyk.iccTransformToSRGB()
        #expect(srgb.interpretation == .srgb && srgb.bands == 3)
        // Go's decoder converts CMYK naively, without profiles, so allow a loose tolerance.
        let reference = try VipsImage.load(try Fixtures.data("jpeg/video-001.cmyk.png"))
        #expect(try ImageComparison.psnr(srgb, reference) > 15)
    }

    @Test("an embedded ICC profile is applied")
    func embeddedProfile() throws {
        let rocket = try VipsImage.load(try Fixtures.data("natural/rocket.jpg"))
        #expect(rocket.hasICCProfile)
        let srgb = try rocket.iccTransformToSRGB()
        #expect(srgb.interpretation == .srgb)
        #expect(try ImageComparison.psnr(srgb, rocket) > 25)
    }
}
