import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Watermark")
struct WatermarkTests {
    static func setUp() throws -> (ImageProcessor, Data) {
        let mark = Data(try SyntheticImages.png(try SyntheticImages.solid(width: 20, height: 20, colour: [0, 0, 255])))
        let base = Data(try SyntheticImages.png(try SyntheticImages.solid(width: 100, height: 100, colour: [255, 255, 255])))
        return (Harness.processor(watermark: mark), base)
    }

    @Test("position, opacity, offset and scale")
    func placement() async throws {
        let (processor, base) = try Self.setUp()
        let (_, corner) = try await Harness.run("wm:1:soea/f:png", on: base, processor: processor)
        #expect(Harness.close(try Harness.pixel(corner, 90, 90), [0, 0, 255]))
        #expect(Harness.close(try Harness.pixel(corner, 10, 10), [255, 255, 255]))

        let (_, faint) = try await Harness.run("wm:0.5:nowe:5:5/f:png", on: base, processor: processor)
        #expect(Harness.close(try Harness.pixel(faint, 10, 10), [128, 128, 255], tolerance: 4))
        #expect(Harness.close(try Harness.pixel(faint, 2, 2), [255, 255, 255]))

        let (_, scaled) = try await Harness.run("wm:1:ce:0:0:0.5/f:png", on: base, processor: processor)
        #expect(Harness.close(try Harness.pixel(scaled, 30, 50), [0, 0, 255]))
        #expect(Harness.close(try Harness.pixel(scaled, 20, 50), [255, 255, 255]))
    }

    @Test("a watermark without a configured image is a clear error")
    func missing() async throws {
        let (_, base) = try Self.setUp()
        await #expect(throws: ProcessingError.missingWatermark) {
            try await Harness.run("wm:1", on: base)
        }
    }
}
