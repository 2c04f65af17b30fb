import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips
@testable import ImageAnalysis

/// Inspection against a golden reference on a real photo: a part turned, shifted and lit
/// differently passes; a planted patch is found where it was put; the wrong part, another
/// framing and unreadable pixels are answered, never passed.
@Suite("Inspection against a reference")
struct InspectionTests {
    static let pool = PixelPool(threads: 2, maxQueued: 64)
    static let processor = ImageProcessor(pool: pool)

    /// The coffee photo cut to 560×360 (the reference), and the same scene turned by
    /// `degrees`, shifted by (`dx`, `dy`) and brightened, cut the same way (a sample).
    static func frames(degrees: Double = 2, dx: Int = 5, dy: Int = -4) throws -> (reference: VipsImage, sample: VipsImage) {
        let base = try VipsImage.load(try Fixtures.data("natural/coffee.jpg"))
        let reference = try base.extracted(left: 20, top: 20, width: 560, height: 360)
        let turned = try base.rotated(degrees: degrees, background: [0, 0, 0])
        let left = (turned.width - base.width) / 2 + 20 + dx, top = (turned.height - base.height) / 2 + 20 + dy
        let sample = try turned.extracted(left: left, top: top, width: 560, height: 360).linear([1.12], [6]).cast(to: .uchar)
        return (reference, sample)
    }

    static func png(_ image: VipsImage) throws -> Data {
        Data(try image.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true)))
    }

    static func reader(_ reference: VipsImage) async throws -> InspectionReader {
        try await InspectionReader(reference: .bytes(png(reference)), processor: processor)
    }

    @Test("a turned, shifted and brightened copy of the part passes, aligned by keypoints")
    func clean() async throws {
        let (reference, sample) = try Self.frames()
        let result = try await Self.reader(reference).inspect(.bytes(Self.png(sample))).result
        #expect(result.status == .pass, "\(result.defects)")
        #expect(result.alignment?.method == "keypoints" && (result.alignment?.correlation ?? 0) > 0.9)
    }

    @Test("a planted dark patch is found where it is, with its area; the overlay outlines it in red")
    func defect() async throws {
        let (reference, sample) = try Self.frames()
        let patch = try SyntheticImages.solid(width: 30, height: 24, colour: [15, 15, 15])
        let damaged = try sample.inserting(patch, x: 300, y: 150)
        let (result, overlay) = try await Self.reader(reference).inspect(.bytes(Self.png(damaged)), overlay: true)
        #expect(result.status == .defects)
        let found = try #require(result.defects.first)
        #expect(found.box.iou(Box(x: 300, y: 150, width: 30, height: 24)) > 0.4, "\(found.box)")
        #expect(abs(found.area - 720) < 400 && found.severity > 0.1, "\(found)")
        let drawn = try VipsImage.load(try #require(overlay))
        #expect(try drawn.pixel(x: Int(found.box.x), y: Int(found.box.y + found.box.height / 2)).map { Int($0) } == [255, 0, 0])
    }

    @Test("a smooth part with no keypoints to match is aligned by ECC")
    func ecc() async throws {
        let (reference, sample) = try Self.frames(degrees: 0.5, dx: 3, dy: 2)
        let (smoothReference, smoothSample) = (try reference.gaussianBlurred(sigma: 20).cast(to: .uchar),
                                               try sample.gaussianBlurred(sigma: 20).cast(to: .uchar))
        let result = try await Self.reader(smoothReference).inspect(.bytes(Self.png(smoothSample))).result
        #expect(result.alignment?.method == "ecc" && result.status == .pass, "\(result)")
    }

    @Test("another part is unaligned, never a pass; another framing is refused, naming both shapes")
    func wrongPart() async throws {
        let (reference, _) = try Self.frames()
        let reader = try await Self.reader(reference)
        let cat = try VipsImage.load(try Fixtures.data("natural/chelsea.jpg")).thumbnail(width: 560, height: 360, size: .force)
        #expect(try await reader.inspect(.bytes(Self.png(cat))).result.status == .unaligned)
        await #expect {
            _ = try await reader.inspect(.bytes(Fixtures.data("natural/rocket.jpg")))
        } throws: { error in
            guard case let .referenceMismatch(detail) = error as? InspectionError else { return false }
            return detail.contains("640×427")
        }
    }

    @Test("a grey copy of a colour reference, and a CMYK one, pass")
    func colourSpaces() async throws {
        let (reference, sample) = try Self.frames()
        let grey = try sample.colourspace(.bw)
        #expect(try await Self.reader(reference).inspect(.bytes(Self.png(grey))).result.status == .pass)
        let plain = try await InspectionReader(reference: .bytes(Fixtures.data("jpeg/video-001.jpeg")), processor: Self.processor)
        let cmyk = try await plain.inspect(.bytes(Fixtures.data("jpeg/video-001.cmyk.jpeg"))).result
        #expect(cmyk.status == .pass, "\(cmyk)")
    }
}
