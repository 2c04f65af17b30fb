import Foundation
import ImageModel
import ImageProcessing
import Synchronization
import Testing
import TestSupport
import Vips

/// The steps that act on detected objects, with a detector that reports one box at fixed
/// fractions of whatever image it is shown: the geometry is checked here, the real face
/// detectors in ImageAnalysisTests and the whole path in the service and CLI tests.
@Suite("Detection steps")
struct DetectionStepTests {
    final class FixedDetector: ObjectDetector {
        let classes: Set<String> = ["face"]
        let workingSize = 640
        let framingSize = 400
        /// The box as fractions of the image: x, y, width, height.
        let fractions: (Double, Double, Double, Double)?
        /// The sizes of the images it was shown.
        let shown = Mutex<[(Int, Int)]>([])

        init(_ fractions: (Double, Double, Double, Double)?) { self.fractions = fractions }

        func detect(_ classes: [String], in image: DecodedImage, longestSide: Int) throws -> [DetectedObject] {
            shown.withLock { $0.append((image.width, image.height)) }
            guard let (x, y, w, h) = fractions else { return [] }
            let (width, height) = (Double(image.width), Double(image.height))
            return [DetectedObject(label: "face", score: 0.9,
                                   box: Box(x: Float(x * width), y: Float(y * height), width: Float(w * width), height: Float(h * height)))]
        }
    }

    static func processor(_ detector: FixedDetector?) -> ImageProcessor {
        Harness.processor().detecting(with: detector, absence: "the test has no detector")
    }

    /// The grid of distinct colours, 4 × 2 cells of 100 pixels, as a PNG.
    static func grid() throws -> Data { Data(try SyntheticImages.png(try SyntheticImages.grid(columns: 4, rows: 2))) }

    @Test("g:obj:face crops on the box: a face in the top-right cell keeps that cell")
    func cropOnFace() async throws {
        let detector = FixedDetector((0.8, 0.1, 0.1, 0.2))
        let (_, image) = try await Harness.run("c:100:100:obj:face/f:png", on: try Self.grid(), processor: Self.processor(detector))
        #expect(try Harness.pixel(image, 50, 50) == SyntheticImages.gridColour(column: 3, row: 0, columns: 4).map(Int.init))
        // With no face found it is the centre crop.
        let (_, centred) = try await Harness.run("c:100:100:obj:face/f:png", on: try Self.grid(), processor: Self.processor(FixedDetector(nil)))
        let (_, centre) = try await Harness.run("c:100:100/f:png", on: try Self.grid())
        #expect(try ImageComparison.psnr(centred, centre) == .infinity)
    }

    @Test("a fill looks before it shrinks: the detector sees at least its framing size, and the crop keeps the face")
    func fillOnFace() async throws {
        let detector = FixedDetector((0.05, 0.6, 0.1, 0.3))
        // Made on a pixel thread: two megapixels built pixel by pixel would hold a cooperative one.
        let jpeg = try await Harness.pool.run { _ in
            Data(try SyntheticImages.grid(columns: 4, rows: 2, cell: 250)
                .encoded(.jpeg(quality: 90, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true)))
        }
        let (result, image) = try await Harness.run("rs:fill:100:100/g:face/f:png", on: jpeg, processor: Self.processor(detector))
        #expect((result.width, result.height) == (100, 100))
        let seen = try #require(detector.shown.withLock { $0.first })
        #expect(max(seen.0, seen.1) >= 400 && max(seen.0, seen.1) < 1000, "shown \(seen)")
        let expected = SyntheticImages.gridColour(column: 0, row: 1, columns: 4).map(Int.init)
        #expect(Harness.close(try Harness.pixel(image, 20, 80), expected, tolerance: 12))
    }

    @Test("bd blurs inside the (grown) box and leaves the rest alone")
    func blur() async throws {
        let detector = FixedDetector((0.25, 0.25, 0.5, 0.5))
        let grid = try Self.grid()
        let (_, plain) = try await Harness.run("f:png", on: grid)
        let (_, blurred) = try await Harness.run("bd:20:face/f:png", on: grid, processor: Self.processor(detector))
        // The cell border at x = 200 inside the box is smeared; the corners far outside are not.
        #expect(!Harness.close(try Harness.pixel(blurred, 199, 100), try Harness.pixel(plain, 199, 100), tolerance: 10))
        for (x, y) in [(2, 2), (397, 197), (2, 197)] {
            #expect(try Harness.pixel(blurred, x, y) == (try Harness.pixel(plain, x, y)), "at \(x),\(y)")
        }
    }

    @Test("dd outlines the box in red on a copy; without a face the image is unchanged")
    func draw() async throws {
        let detector = FixedDetector((0.25, 0.25, 0.5, 0.5))
        let (_, drawn) = try await Harness.run("dd:1:face/f:png", on: try Self.grid(), processor: Self.processor(detector))
        #expect(try Harness.pixel(drawn, 100, 100) == [255, 0, 0])
        #expect(try Harness.pixel(drawn, 150, 120) != [255, 0, 0])
        let (_, none) = try await Harness.run("dd:1/f:png", on: try Self.grid(), processor: Self.processor(FixedDetector(nil)))
        let (_, plain) = try await Harness.run("f:png", on: try Self.grid())
        #expect(try ImageComparison.psnr(none, plain) == .infinity)
    }

    @Test("without a detector the face options are refused before a byte is decoded, with the reason",
          arguments: ["bd:5", "dd:1:face", "rs:fill:10:10/g:face", "c:5:5:obj:face"])
    func noDetector(options: String) async throws {
        let garbage = Data("not an image at all".utf8)
        await #expect(throws: ProcessingError.detectorUnavailable("the test has no detector")) {
            _ = try await Harness.run(options, on: garbage, processor: Self.processor(nil))
        }
        // Options that look for nothing need no detector.
        _ = try await Harness.run("rs:fill:10:10/g:sm", on: try Self.grid(), processor: Self.processor(nil))
    }
}
