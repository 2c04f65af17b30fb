import Foundation
import Testing
import TestSupport
import Vips
import Vision

/// The OpenCV calls faces and inspection use: a network's several outputs from one pass, Haar
/// cascades, a RANSAC similarity and ECC alignment.
@Suite("Vision: detection and alignment calls")
struct DetectionBoundaryTests {
    @Test("one pass gives CenterFace's four outputs, each at a quarter of the input's size; a wrong name is an error")
    func multipleOutputs() throws {
        let network = try NeuralNetwork(onnxFile: FaceFixtures.models + "/centerface.onnx")
        let input = Tensor(shape: [1, 3, 64, 96], values: [Float](repeating: 100, count: 3 * 64 * 96))
        let outputs = try network.forward(input, outputs: ["537", "538", "539", "540"])
        #expect(outputs.map(\.shape) == [[1, 1, 16, 24], [1, 2, 16, 24], [1, 2, 16, 24], [1, 10, 16, 24]])
        #expect(throws: VisionError.self) { try network.forward(input, outputs: ["no such layer"]) }
    }

    @Test("the frontal-face cascade finds Grace Hopper's face; a missing file is an error naming it")
    func cascade() throws {
        let cascade = try CascadeClassifier(file: "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
        let image = try VipsImage.load(try Fixtures.data("natural/grace_hopper.jpg")).colourspace(.bw)
        let hits = try cascade.detect(in: GreyPixels(width: image.width, height: image.height, bytes: try image.pixelBytes()),
                                      minimumNeighbours: 5, minimumSize: 40)
        #expect(hits.count == 1 && hits[0].x > 100 && hits[0].x < 250 && hits[0].width > 150, "\(hits)")
        #expect(throws: VisionError.self) { try CascadeClassifier(file: "/nonexistent.xml") }
    }

    @Test("a similarity is recovered from pairs with a fifth of them wrong")
    func similarity() throws {
        let angle = Float(10 * Double.pi / 180), scale: Float = 1.2, shift = SIMD2<Float>(30, -12)
        // Points spread by two co-prime strides; every fifth pair points somewhere else.
        let source: [SIMD2<Float>] = (0..<100).map { (i: Int) -> SIMD2<Float> in
            SIMD2(Float((i * 37) % 500), Float((i * 53) % 400))
        }
        let (c, s) = (scale * cos(angle), scale * sin(angle))
        let destination: [SIMD2<Float>] = source.indices.map { (index: Int) -> SIMD2<Float> in
            if index % 5 == 0 { return SIMD2(Float((index * 91) % 500), Float((index * 17) % 400)) }
            let point = source[index]
            let x: Float = c * point.x - s * point.y, y: Float = s * point.x + c * point.y
            return SIMD2(x, y) + shift
        }
        let fit = try #require(try Homography.fitSimilarity(from: source, to: destination))
        let m = fit.matrix
        #expect(abs(m[0] - Double(scale * cos(angle))) < 1e-3 && abs(m[3] - Double(scale * sin(angle))) < 1e-3)
        #expect(abs(m[2] - 30) < 0.05 && abs(m[5] + 12) < 0.05 && m[6...] == [0, 0, 1])
        #expect(fit.inlierCount == 80)
        #expect(try Homography.fitSimilarity(from: [SIMD2(0, 0)], to: [SIMD2(1, 1)]) == nil)
    }

    @Test("ECC finds the shift between two copies of a photo; planes of different sizes are an error")
    func ecc() throws {
        let photo = try VipsImage.load(try Fixtures.data("natural/coffee.jpg")).colourspace(.bw)
        func plane(_ left: Int, _ top: Int) throws -> GreyPixels {
            GreyPixels(width: 400, height: 300, bytes: try photo.extracted(left: left, top: top, width: 400, height: 300).pixelBytes())
        }
        let result = try #require(try ECCAlignment.align(try plane(53, 47), to: try plane(50, 50), motion: .translation))
        // The input's pixel (x, y) shows the reference's (x + 3, y − 3): the warp maps reference to input.
        #expect(abs(result.matrix[2] + 3) < 0.1 && abs(result.matrix[5] - 3) < 0.1, "\(result.matrix)")
        #expect(result.correlation > 0.99)
        #expect(throws: VisionError.self) {
            try ECCAlignment.align(GreyPixels(width: 2, height: 2, bytes: [0, 0, 0, 0]), to: try plane(0, 0))
        }
    }
}
