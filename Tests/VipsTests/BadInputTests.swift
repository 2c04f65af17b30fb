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

    @Test("garbage and empty input fail as unknown formats")
    func garbage() throws {
        for data in [Data(), CorruptedInputs.garbage(count: 4096, seed: 7), Data(repeating: 0, count: 100)] {
            let error = #expect(throws: VipsError.self) { try VipsImage.load(data) }
            let message = error?.message ?? ""
            #expect(message.contains("not in a known format") || message.contains("is blocked"), "\(message)")
        }
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

    @Test("the error buffer is cleared after each failure")
    func errorBufferCleared() throws {
        let first = #expect(throws: VipsError.self) { try VipsImage.load(Data("not an image".utf8)) }
        let second = #expect(throws: VipsError.self) { try VipsImage.load(Data("still not".utf8)) }
        #expect(first?.message == second?.message)
        #expect(second.map { $0.message.components(separatedBy: "\n").count } == 1)
    }
}
