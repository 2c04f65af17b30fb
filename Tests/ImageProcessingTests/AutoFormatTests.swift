import Foundation
import ImageModel
@testable import ImageProcessing
import Testing
import TestSupport
import Vips

/// `f:auto` by content: each class of the fixtures corpus (screenshots, logos, line art,
/// photos) gets the format it should, for a client that takes AVIF and WebP and for one that
/// takes only JPEG and PNG.
@Suite struct AutoFormatTests {
    static let graphics = ["autoformat/screenshot.png", "autoformat/horse.png",
                           "webp_tiff/tux.lossless.webp", "webp_tiff/gopher-doc.8bpp.lossless.webp"]
    static let photos = ["natural/rocket.jpg", "natural/chelsea.jpg", "natural/coffee.jpg", "natural/grace_hopper.jpg",
                         "faces/astronaut.jpg", "webp_tiff/yellow_rose.lossy.webp"]

    @Test(arguments: graphics)
    func graphicsGetTheSmallerLosslessFormat(fixture: String) async throws {
        let source = try Fixtures.data(fixture)
        let (modern, _) = try await Harness.run("rs:fit:400:400/f:auto:avif:webp", on: source)
        let decision = try #require(modern.formatDecision)
        #expect(decision.content.kind == .graphic, "\(fixture): \(decision.reason)")
        #expect([.webp, .png].contains(modern.format) && modern.quality == nil)
        // Lossless: the served pixels are the pre-encode pixels.
        let (png, _) = try await Harness.run("rs:fit:400:400/f:png", on: source)
        let served = modern.data, lossless = png.data
        let psnr = try await Harness.pool.run { _ in
            try ImageComparison.psnr(try VipsImage.load(served), try VipsImage.load(lossless))
        }
        #expect(psnr > 60, "\(fixture)")
        // Whichever is smaller won.
        if modern.format == .webp { #expect(modern.data.count <= png.data.count) }
        let (plain, _) = try await Harness.run("rs:fit:400:400/f:auto", on: source)
        #expect(plain.format == .png, "\(fixture): \(plain.formatDecision?.reason ?? "")")
    }

    @Test(arguments: photos)
    func photosGetTheClientsBestLossyFormat(fixture: String) async throws {
        let source = try Fixtures.data(fixture)
        let (modern, _) = try await Harness.run("rs:fit:400:400/f:auto:avif:webp", on: source)
        #expect(modern.formatDecision?.content.kind == .photo, "\(fixture): \(modern.formatDecision?.reason ?? "")")
        #expect(modern.format == .avif)
        let (webp, _) = try await Harness.run("rs:fit:400:400/f:auto:webp", on: source)
        #expect(webp.format == .webp && webp.quality == 80)
        let (plain, _) = try await Harness.run("rs:fit:400:400/f:auto", on: source)
        #expect(plain.format == .jpeg)
    }

    @Test func aGraphicThatWouldCompressBadlyLosslessIsServedLossy() async throws {
        // scikit-image's shaded logo counts as a graphic (4% colours), but PNG would take 7.9
        // bits per pixel: it is served as a photo, and the reason says so.
        let (result, _) = try await Harness.run("rs:fit:256:256/f:auto:webp", on: try Fixtures.data("autoformat/logo.png"))
        let decision = try #require(result.formatDecision)
        #expect(decision.content.kind == .graphic && result.format == .webp && result.quality != nil)
        #expect(decision.reason.contains("bits per pixel"), "\(decision.reason)")
    }

    @Test func aTransparentPhotoKeepsItsTransparency() async throws {
        let source = try Fixtures.data("pngsuite/basn6a08.png")
        let (plain, image) = try await Harness.run("f:auto", on: source)
        #expect(plain.formatDecision?.content.transparent == true)
        #expect(plain.format == .png && image.hasAlpha)
        let (webp, _) = try await Harness.run("f:auto:webp", on: source)
        #expect([.webp, .png].contains(webp.format))
    }

    @Test func autoQualityAppliesToThePhotoFormatChosen() async throws {
        let (result, _) = try await Harness.run("rs:fit:400:400/f:auto:webp/q:auto", on: try Fixtures.data("natural/chelsea.jpg"))
        #expect(result.format == .webp && result.qualitySearch != nil)
    }

    @Test func theClassifierCountsColoursPerPixel() {
        #expect(ImageContent(colours: 200, pixels: 1_000_000, transparent: false).kind == .graphic)
        #expect(ImageContent(colours: 40_000, pixels: 1_000_000, transparent: false).kind == .graphic)
        #expect(ImageContent(colours: 60_000, pixels: 1_000_000, transparent: false).kind == .photo)
        // A tiny image is judged by the palette test alone.
        #expect(ImageContent(colours: 300, pixels: 1024, transparent: false).kind == .photo)
        #expect(ImageContent(colours: 300, pixels: 1024, transparent: false).reason.hasPrefix("photo: 300 colours in 1024 pixels"))
        // Grey images: drawings are flat or mostly paper; photos are neither.
        #expect(ImageContent(colours: 250, pixels: 50_000, transparent: false, grey: true, flatShare: 0.3, dominantShare: 0.05).kind == .photo)
        #expect(ImageContent(colours: 250, pixels: 50_000, transparent: false, grey: true, flatShare: 0.4, dominantShare: 0.45).kind == .graphic)
        #expect(ImageContent(colours: 250, pixels: 50_000, transparent: false, grey: true, flatShare: 0.9, dominantShare: 0.1).kind == .graphic)
    }
}
