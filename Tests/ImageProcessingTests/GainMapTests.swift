import Foundation
import Testing
import TestSupport
import Vips
import ImageProcessing
import ImageModel

/// Ultra HDR JPEGs: the gain map survives a resize, matched to the new size, and is dropped
/// by anything else, so no output pairs pixels with a map made for other ones.
///
/// On the system engine (libvips before 8.18) the fixture is a plain JPEG to libvips: its
/// gain map is never read, so every output is plain SDR, which these tests check instead.
@Suite("Ultra HDR gain maps")
struct GainMapTests {
    static let source = try! Fixtures.data("formats/ultra-hdr.jpg")
    static let engineReadsGainMaps = VipsImage.hasOperation("uhdrload")

    @Test("the fixture carries a gain map that makes highlights brighter than SDR white")
    func fixture() throws {
        let image = try VipsImage.load(Self.source)
        guard Self.engineReadsGainMaps else {
            #expect(!image.hasGainMap && image.loader == "jpegload_buffer")
            return
        }
        #expect(image.loader == "uhdrload_buffer" && image.hasGainMap)
        #expect(try image.hdrFromGainMap().maximum() > 2)
    }

    @Test("resizing keeps the gain map, resized with the image, and the HDR highlights",
          arguments: ["rs:fit:200:200", "rs:fit:320:320/q:70", "rs:fill:0:150", "", "ar:1"])
    func resizeKeeps(options: String) async throws {
        let original = try VipsImage.load(Self.source)
        let (result, image) = try await Harness.run(options, on: Self.source)
        guard Self.engineReadsGainMaps else {
            #expect(!image.hasGainMap)
            return
        }
        #expect(image.loader == "uhdrload_buffer", "\(options): \(image.loader ?? "?")")
        let sourceMap = try VipsImage.load(try #require(original.gainMapData))
        let map = try VipsImage.load(try #require(image.gainMapData, "\(options): no gain map"))
        // The map keeps its fraction of the image's size (half, for this fixture), to a pixel.
        let scale = Double(sourceMap.width) / Double(original.width)
        #expect(abs(Double(map.width) - Double(result.width) * scale) <= 1, "\(options): \(map.width) for \(result.width)")
        #expect(abs(Double(map.height) - Double(result.height) * scale) <= 1, "\(options): \(map.height) for \(result.height)")
        #expect(try image.hdrFromGainMap().maximum() > 2)
    }

    @Test("every other operation drops the gain map and writes a plain JPEG",
          arguments: ["c:300:200", "rot:90", "rs:fill:200:200", "rs:fit:200:200/bl:2", "rs:fit:200:200/fl:1",
                      "rs:fit:800:800:1:1/f:jpg", "rs:fit:200:200/sa:0", "c:200:200:nowe"])
    func otherOperationsDrop(options: String) async throws {
        let (_, image) = try await Harness.run(options, on: Self.source)
        #expect(image.loader == "jpegload_buffer", "\(options): \(image.loader ?? "?")")
        #expect(!image.hasGainMap)
    }

    @Test("keeping metadata keeps the gain map too, and other formats never carry one",
          arguments: ["rs:fit:200:200/sm:0", "rs:fit:200:200/f:webp", "rs:fit:200:200/f:png", "rs:fit:200:200/f:avif"])
    func formatsAndMetadata(options: String) async throws {
        let (result, image) = try await Harness.run(options, on: Self.source)
        let keeps = Self.engineReadsGainMaps && result.format == .jpeg
        #expect(image.hasGainMap == keeps, "\(options)")
    }
}
