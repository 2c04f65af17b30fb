import Foundation
import Testing
import TestSupport
import Vips

@Suite("Bad input")
struct BadInputTests {
    /// Loads and fully decodes; bad input must throw, never crash.
    private func decode(_ data: Data) throws {
        let image = try VipsImage.load(data, failOn: .error)
        _ = try image.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true))
    }

    @Test("truncated files fail with libvips' message", arguments: ["natural/rocket.jpg", "formats/hopper.png",
                                                                     "formats/hopper.webp", "formats/hopper.gif",
                                                                     "formats/hopper.tif"], [0.02, 0.5, 0.9])
    func truncated(path: String, fraction: Double) throws {
        let data = CorruptedInputs.truncated(try Fixtures.data(path), fraction: fraction)
        #expect(throws: VipsError.self) { try decode(data) }
    }

    @Test("garbage and empty input fail, and no loader claims them")
    func garbage() throws {
        for data in [Data(), CorruptedInputs.garbage(count: 4096, seed: 7), Data(repeating: 0, count: 100)] {
            #expect(throws: VipsError.self) { try VipsImage.load(data) }
        }
        #expect(VipsImage.loaderName(for: Data()) == nil)
        // ImageMagick claims anything; it is blocked for untrusted input and never accepted.
        #expect([nil, "magickload_buffer"].contains(VipsImage.loaderName(for: Data(repeating: 0, count: 100))))
        #expect(VipsImage.loaderName(for: try Fixtures.data("natural/rocket.jpg")) == "jpegload_buffer")
        #expect(VipsImage.loaderName(for: try Fixtures.data("formats/hopper.webp")) == "webpload_buffer")
    }

    @Test("a PNG signature over JPEG bytes fails")
    func wrongHeader() throws {
        var data = try Fixtures.data("natural/rocket.jpg")
        data.replaceSubrange(0..<8, with: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        #expect(throws: VipsError.self) { try decode(data) }
    }

    @Test("flipped bytes either decode or fail cleanly", arguments: 1...20)
    func flipped(seed: Int) throws {
        for path in ["natural/rocket.jpg", "formats/hopper.png", "formats/hopper.webp"] {
            let data = CorruptedInputs.flipped(try Fixtures.data(path), count: 8, skip: 16, seed: UInt64(seed))
            do { try decode(data) } catch let error as VipsError { #expect(!error.description.isEmpty) }
        }
    }

    @Test("each failure carries libvips' message for that failure")
    func errorMessages() throws {
        // Other tests fail beside this one; the message is still this failure's own.
        let error = #expect(throws: VipsError.self) { try VipsImage.load(Data("not an image".utf8)) }
        #expect(error?.operation == "load")
        #expect(error?.message.contains("not in a known format") == true, "\(String(describing: error))")
    }
}

/// The engine blocks every loader but the served formats, whatever the caller sniffed.
@Suite("Blocked loaders")
struct BlockedLoaderTests {
    @Test("libvips itself will not decode SVG, PDF or JPEG XL",
          arguments: ["refused/drawing.svg", "refused/page.pdf", "refused/hopper.jxl"])
    func blocked(path: String) throws {
        let data = try Fixtures.data(path)
        #expect(throws: VipsError.self) { _ = try VipsImage.load(data).pixelBytes() }
        #expect(throws: VipsError.self) { _ = try VipsImage.thumbnail(data, width: 32, height: 32) }
    }

    @Test("the served formats still load", arguments: [
        "formats/hopper.jpg", "formats/hopper.png", "formats/hopper.webp", "formats/hopper.gif", "formats/hopper.tif",
    ])
    func served(path: String) throws {
        #expect(try VipsImage.load(try Fixtures.data(path)).width > 0)
    }
}
