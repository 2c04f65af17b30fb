import Testing
import TestSupport
import Vips
import Vision

/// The OpenCV boundary on real pixels: ORB finds keypoints, the matcher pairs them, and RANSAC
/// recovers the transform that made one image from the other.
@Suite("Vision")
struct VisionTests {
    /// A fixture photo as one grey plane, fitted in `size`.
    static func grey(_ image: VipsImage, size: Int = 512) throws -> GreyPixels {
        let small = try image.thumbnail(width: size, height: size, size: .down).colourspace(.bw)
        let plane = small.bands > 1 ? try small.bands(from: 0) : small
        return GreyPixels(width: plane.width, height: plane.height, bytes: try plane.pixelBytes())
    }

    @Test("ORB finds the strongest keypoints of a photo, each with a 32-byte descriptor")
    func detects() throws {
        let points = try ORBDetector(maximumCount: 300).detect(in: Self.grey(SignatureFixtures.photo("grace_hopper")))
        #expect(points.count > 200 && points.count <= 316)
        #expect(points.descriptors.count == points.count * Keypoints.descriptorBytes)
        #expect(points.positions.allSatisfy { $0.x >= 0 && $0.x < 512 && $0.y >= 0 && $0.y < 512 })
    }

    @Test("Planes smaller than the descriptor's border, flat planes and an empty set give no keypoints and no error")
    func degenerate() throws {
        let detector = ORBDetector()
        #expect(try detector.detect(in: GreyPixels(width: 1, height: 1, bytes: [0])).count == 0)
        #expect(try detector.detect(in: GreyPixels(width: 0, height: 0, bytes: [])).count == 0)
        #expect(try detector.detect(in: GreyPixels(width: 200, height: 100, bytes: [UInt8](repeating: 90, count: 20_000))).count == 0)
        #expect(DescriptorMatcher.nearestTwo(.none, in: .none).isEmpty)
        #expect(try Homography.fit(from: [], to: []) == nil)
    }

    @Test("Matched keypoints of a photo and its shifted half recover the shift")
    func recoversTransform() throws {
        let photo = try SignatureFixtures.photo("chelsea")
        // The right half of the photo, at the same scale: the transform is a shift by -x0.
        let x0 = photo.width / 2
        let half = try photo.extracted(left: x0, top: 0, width: photo.width - x0, height: photo.height)
        let detector = ORBDetector(maximumCount: 500)
        let whole = try detector.detect(in: Self.grey(photo, size: 4096))
        let part = try detector.detect(in: Self.grey(half, size: 4096))
        let nearest = DescriptorMatcher.nearestTwo(part, in: whole)
        let good = nearest.enumerated().filter { $0.element.firstDistance < 0.8 * $0.element.secondDistance }
        #expect(good.count > 40)
        let fitted = try #require(try Homography.fit(from: good.map { part.positions[$0.offset] },
                                                     to: good.map { whole.positions[$0.element.first] }))
        #expect(fitted.inlierCount > 30)
        let mapped = try #require(fitted.apply(to: SIMD2(10, 20)))
        #expect(abs(mapped.x - Double(10 + x0)) < 2 && abs(mapped.y - 20) < 2)
    }

    @Test("The descriptors of two different photos mostly fail the ratio test")
    func differentPhotos() throws {
        let detector = ORBDetector(maximumCount: 300)
        let a = try detector.detect(in: Self.grey(SignatureFixtures.photo("chelsea")))
        let b = try detector.detect(in: Self.grey(SignatureFixtures.photo("coffee")))
        let nearest = DescriptorMatcher.nearestTwo(a, in: b)
        let good = nearest.filter { $0.firstDistance < 0.8 * $0.secondDistance && $0.firstDistance <= 64 }
        #expect(good.count < nearest.count / 5)
    }

    @Test("The matcher finds each descriptor's two nearest, as a plain comparison of every pair does")
    func nearestTwoIsExact() throws {
        let a = try ORBDetector(maximumCount: 200).detect(in: Self.grey(SignatureFixtures.photo("coffee")))
        let b = try ORBDetector(maximumCount: 150).detect(in: Self.grey(SignatureFixtures.photo("coffee").gaussianBlurred(sigma: 1)))
        func distance(_ i: Int, _ j: Int) -> Int {
            zip(a.descriptor(i), b.descriptor(j)).map { ($0 ^ $1).nonzeroBitCount }.reduce(0, +)
        }
        for (i, pair) in DescriptorMatcher.nearestTwo(a, in: b).enumerated() {
            let sorted = (0..<b.count).map { distance(i, $0) }.sorted()
            #expect(Int(pair.firstDistance) == sorted[0] && Int(pair.secondDistance) == sorted[1])
            #expect(distance(i, pair.first) == sorted[0] && distance(i, pair.second) == sorted[1] && pair.first != pair.second)
        }
        let single = b.selecting([0])
        #expect(DescriptorMatcher.nearestTwo(a, in: single).allSatisfy { $0.first == 0 && $0.second == -1 && $0.secondDistance == .infinity })
    }

    @Test("OpenCV is the version Debian ships")
    func version() {
        #expect(VisionRuntime.version.hasPrefix("4."))
    }
}
