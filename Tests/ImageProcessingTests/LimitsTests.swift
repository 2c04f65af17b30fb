import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Limits, checked before decoding")
struct LimitsTests {
    @Test("a decompression bomb is refused from its header")
    func bomb() async throws {
        let bomb = CorruptedInputs.pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000)
        #expect(bomb.count < 2_000)
        await #expect(throws: ProcessingError.limitExceeded(LimitError(limit: "max-src-pixels", maximum: 50_000_000,
                                                                         actual: 2_500_000_000))) {
            try await Harness.processor().run(try Recipe(parsing: "rs:fit:100:100"), on: .bytes(bomb))
        }
    }

    @Test("byte limits apply to bytes and to files before they are read")
    func bytes() async throws {
        let processor = Harness.processor(limits: Limits(maxInputBytes: 1000))
        let path = Fixtures.url("natural/rocket.jpg").path
        await #expect(throws: ProcessingError.limitExceeded(LimitError(limit: "max-src-bytes", maximum: 1000, actual: 112_525))) {
            try await processor.run(try Recipe(parsing: ""), on: .file(path))
        }
        await #expect(throws: ProcessingError.self) {
            try await processor.run(try Recipe(parsing: ""), on: .bytes(try Fixtures.data("natural/rocket.jpg")))
        }
    }

    @Test("the output side is checked from the plan, and again after the operations")
    func outputSide() async throws {
        let processor = Harness.processor(limits: Limits(maxOutputSide: 300))
        let source = try Harness.quadrantPNG()
        await #expect(throws: ProcessingError.limitExceeded(LimitError(limit: "max-output-side", maximum: 300, actual: 800))) {
            try await processor.run(try Recipe(parsing: "rs:fit:800:800:1"), on: .bytes(source))
        }
        await #expect(throws: ProcessingError.limitExceeded(LimitError(limit: "max-output-side", maximum: 300, actual: 400))) {
            try await processor.run(try Recipe(parsing: "pd:0:100:0:100"), on: .bytes(source))
        }
    }

    @Test("frames are counted from the header")
    func frames() async throws {
        let pyramid = try VipsImage.load(try Fixtures.data("natural/rocket.jpg"))
            .encoded(.tiff(compression: .jpeg, quality: 80, tiled: true, tileSize: 64, pyramid: true, strip: true))
        let processor = Harness.processor(limits: Limits(maxFrames: 2))
        let error = await #expect(throws: ProcessingError.self) {
            try await processor.run(try Recipe(parsing: ""), on: .bytes(pyramid))
        }
        guard case let .limitExceeded(limit) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(limit.limit == "max-frames")
    }
}
