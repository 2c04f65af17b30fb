import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageAnalysis
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

/// imgproxy Pro's face options through the HTTP service, with the real CenterFace detector.
@Suite("Face options over HTTP")
struct FaceOptionTests {
    static let detector = try! FaceDetector(kind: .centerface, models: FaceModels(folder: FaceFixtures.models))
    static let reader = FaceReader(processor: ImageProcessor(pool: PixelPool(threads: 1, maxQueued: 16)).detecting(with: detector, absence: ""))

    /// The faces CenterFace finds in encoded bytes.
    static func faces(in data: Data) async throws -> [DetectedObject] {
        try await reader.faces(of: .bytes(data))
    }

    @Test("g:obj:face centres a narrow fill on the face; its cache key differs from the centre crop's")
    func gravity() async throws {
        let harness = try ServiceHarness.make(detector: Self.detector)
        try await harness.test { client in
            let face = try await client.execute(uri: "/unsafe/rs:fill:100:400/g:obj:face/plain/local:///astronaut.jpg@png", method: .get)
            let centre = try await client.execute(uri: "/unsafe/rs:fill:100:400/g:ce/plain/local:///astronaut.jpg@png", method: .get)
            #expect(face.status == .ok && centre.status == .ok)
            #expect(face.headers[.eTag] != centre.headers[.eTag])
            let found = try #require(try await Self.faces(in: face.data).first)
            #expect(abs(found.box.x + found.box.width / 2 - 50) < 12, "\(found.box)")
            let offCentre = try #require(try await Self.faces(in: centre.data).first)
            #expect(abs(offCentre.box.x + offCentre.box.width / 2 - 50) > 15, "\(offCentre.box)")
        }
    }

    @Test("bd blurs the face away (the detector no longer finds it); dd draws its box")
    func blurAndDraw() async throws {
        let harness = try ServiceHarness.make(detector: Self.detector)
        try await harness.test { client in
            let blurred = try await client.execute(uri: "/unsafe/rs:fit:300:300/blur_detections:25:face/plain/local:///astronaut.jpg@png", method: .get)
            #expect(blurred.status == .ok)
            #expect(try await Self.faces(in: blurred.data).isEmpty)
            let drawn = try await client.execute(uri: "/unsafe/rs:fit:300:300/dd:1/plain/local:///astronaut.jpg@png", method: .get)
            let image = try VipsImage.load(drawn.data)
            let reds = try image.pixelBytes().chunks(of: 3).filter { Array($0) == [255, 0, 0] }.count
            #expect(reds > 200, "\(reds) red pixels")
        }
    }

    @Test("without the face model, each face option is a 422 that says which file is missing", arguments: [
        "rs:fill:100:100/g:face", "c:50:50:obj:face", "bd:5", "dd:1:face",
    ])
    func missingModel(options: String) async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            let response = try await client.execute(uri: "/unsafe/\(options)/plain/local:///astronaut.jpg", method: .get)
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("centerface face model is missing"), "\(response.text)")
            // The same image without face options still renders.
            let plain = try await client.execute(uri: "/unsafe/rs:fill:100:100/plain/local:///astronaut.jpg", method: .get)
            #expect(plain.status == .ok)
        }
    }
}

extension Array {
    /// Consecutive slices of `size` elements.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
