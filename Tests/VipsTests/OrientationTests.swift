import Foundation
import Testing
import TestSupport
import Vips

@Suite("EXIF orientation")
struct OrientationTests {
    @Test("orientations 2–8 come out upright and match orientation 1", arguments: 2...8, ["jpg", "webp"])
    func upright(orientation: Int, ext: String) throws {
        let reference = try VipsImage.load(try Fixtures.data("formats/hopper.png"))
        let source = try VipsImage.load(try Fixtures.data("orientation/hopper_orientation_\(orientation).\(ext)"),
                                        access: .random)
        #expect(source.orientation == orientation)
        let upright = try source.autoRotated()
        #expect(upright.orientation == 1)
        let psnr = try ImageComparison.psnr(reference, upright)
        #expect(psnr > 25, "orientation \(orientation).\(ext): PSNR \(psnr)")
        // The check can fail: the stored pixels, not rotated, are far from the reference.
        #expect(try ImageComparison.psnr(reference, source) < psnr - 5)
    }
}
