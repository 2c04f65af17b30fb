import Foundation
import ImageModel
@testable import ImageProcessing
import Testing
import TestSupport
import Vips

/// Shrink-on-load for regions (IIIF tiles): the right reduction is chosen, and the tile it
/// gives matches the one cut from the full-size image.
@Suite("Region shrink-on-load")
struct RegionPlanTests {
    static let grid: Data = {
        try! Data(SyntheticImages.png(SyntheticImages.grid(columns: 30, rows: 20)))  // 3000 × 2000
    }()

    static func encoded(_ spec: OutputSpec) async throws -> Data {
        try await Harness.processor().run(try Recipe(output: spec), on: .bytes(grid)).data
    }

    static func tile(_ x: Int, _ y: Int, _ side: Int, to target: Int) throws -> Recipe {
        try Recipe(operations: [.extract(x: x, y: y, width: side, height: side),
                                .resize(mode: .force, width: target, height: target, enlarge: true, extend: false, gravity: .centre)],
                   output: OutputSpec(format: .png))
    }

    @Test("the reduction follows the format and the scale")
    func choice() async throws {
        let jpeg = try await Self.encoded(OutputSpec(format: .jpeg, quality: 95))
        let pyramid = try await Self.encoded(OutputSpec(format: .tiff, quality: 90, encoder: EncoderOptions(pyramid: true)))
        let jpegHeader = try VipsImage.probe(jpeg), pyramidHeader = try VipsImage.probe(pyramid)
        #expect(pyramidHeader.pages >= 3, "levels: \(pyramidHeader.pages)")
        let quarter = try Self.tile(0, 0, 2048, to: 512).operations
        #expect(RegionPlan(operations: quarter, header: jpegHeader, loader: "jpegload_buffer")?.reduction == .jpegShrink(4))
        #expect(RegionPlan(operations: quarter, header: pyramidHeader, loader: "tiffload_buffer")?.reduction == .page(2))
        #expect(RegionPlan(operations: try Self.tile(0, 0, 2048, to: 100).operations, header: jpegHeader,
                           loader: "jpegload_buffer")?.reduction == .jpegShrink(8), "JPEG stops at 1/8")
        #expect(RegionPlan(operations: try Self.tile(0, 0, 600, to: 512).operations, header: jpegHeader,
                           loader: "jpegload_buffer") == nil, "less than 2× down: no reduction")
        #expect(RegionPlan(operations: quarter, header: try VipsImage.probe(Self.grid), loader: "pngload_buffer") == nil)
        #expect(RegionPlan(operations: try Self.tile(0, 0, 927, to: 464).operations, header: pyramidHeader,
                           loader: "tiffload_buffer")?.reduction == .page(1), "an edge tile rounded up still takes the level")
    }

    @Test("tiles from a reduced JPEG or a pyramid level match the tile cut at full size",
          arguments: [(0, 0, 2048), (1000, 600, 1024), (2500, 1500, 500)])
    func equivalence(x: Int, y: Int, side: Int) async throws {
        let recipe = try Self.tile(x, y, side, to: 200)
        let (_, reference) = try await Harness.run(recipe, on: Self.grid)
        for spec in [OutputSpec(format: .jpeg, quality: 95),
                     OutputSpec(format: .tiff, quality: 95, encoder: EncoderOptions(pyramid: true))] {
            let source = try await Self.encoded(spec)
            let (_, tile) = try await Harness.run(recipe, on: source)
            #expect(tile.width == 200 && tile.height == 200)
            let psnr = try ImageComparison.psnr(tile, reference)
            #expect(psnr > 26, "\(spec.format) tile at \(x),\(y) side \(side): PSNR \(psnr)")
        }
    }
}
