import Foundation
import ImageModel
import ImageProcessing
import TestSupport
import Vips

/// Shared set-up for the processing tests: one pool, helpers to run recipes and compare.
enum Harness {
    static let pool = PixelPool(threads: 2, maxQueued: 256)

    static func processor(limits: Limits = Limits(), watermark: Data? = nil) -> ImageProcessor {
        ImageProcessor(limits: limits, pool: pool, watermark: watermark)
    }

    /// Runs imgproxy-style `options` on `input` and decodes the result.
    static func run(_ options: String, on input: Data, processor: ImageProcessor = processor()) async throws
        -> (ProcessedImage, VipsImage)
    {
        try await run(try Recipe(parsing: options), on: input, processor: processor)
    }

    static func run(_ recipe: Recipe, on input: Data, processor: ImageProcessor = processor()) async throws
        -> (ProcessedImage, VipsImage)
    {
        let result = try await processor.run(recipe, on: .bytes(input))
        return (result, try VipsImage.load(result.data))
    }

    static func quadrantPNG(width: Int = 200, height: Int = 100) throws -> Data {
        Data(try SyntheticImages.png(try SyntheticImages.quadrants(width: width, height: height)))
    }

    static func quadrants(width: Int, height: Int) throws -> VipsImage {
        try SyntheticImages.quadrants(width: width, height: height)
    }

    static func fixture(_ path: String) throws -> VipsImage {
        try VipsImage.load(try Fixtures.data(path))
    }

    /// The pixel at (x, y), as integers.
    static func pixel(_ image: VipsImage, _ x: Int, _ y: Int) throws -> [Int] {
        try image.pixel(x: x, y: y).map { Int($0.rounded()) }
    }

    /// Whether two colours are within `tolerance` in every band.
    static func close(_ a: [Int], _ b: [Int], tolerance: Int = 3) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }
}
