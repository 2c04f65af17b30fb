import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import MetricsTestKit
import Vips
@testable import ImageAnalysis

/// The three face detectors on the annotated fixtures: what each finds, where, and how each bad
/// input is answered.
@Suite("Face detection")
struct FaceDetectorTests {
    static let pool = PixelPool(threads: 2, maxQueued: 64)
    static let models = FaceModels(folder: FaceFixtures.models)

    static func reader(_ kind: FaceDetectorKind) throws -> FaceReader {
        let detector = try FaceDetector(kind: kind, models: models)
        return FaceReader(processor: ImageProcessor(pool: pool).detecting(with: detector, absence: ""))
    }

    /// How many annotated faces `kind` finds at IoU ≥ 0.5, and how many of its boxes match none.
    static func score(_ kind: FaceDetectorKind) async throws -> (found: Int, total: Int, false: Int) {
        let reader = try reader(kind)
        var found = 0, total = 0, wrong = 0
        for (file, faces) in try FaceFixtures.labels() {
            let boxes = try await reader.faces(of: .bytes(Fixtures.data(file))).map(\.box)
            total += faces.count
            found += faces.filter { face in boxes.contains { face.iou($0) >= 0.5 } }.count
            wrong += boxes.filter { box in !faces.contains { $0.iou(box) >= 0.5 } }.count
        }
        for file in FaceFixtures.withoutFaces { wrong += try await reader.faces(of: .bytes(Fixtures.data(file))).count }
        return (found, total, wrong)
    }

    @Test("CenterFace finds every annotated face (two of them 15 pixels wide) and nothing else")
    func centerFace() async throws {
        let result = try await Self.score(.centerface)
        #expect(result.found == result.total && result.false == 0, "\(result)")
    }

    @Test("MTCNN finds all but at most one annotated face, and nothing else")
    func mtcnn() async throws {
        let result = try await Self.score(.mtcnn)
        #expect(result.found >= result.total - 1 && result.false == 0, "\(result)")
    }

    /// The cascade takes a toy's face and a space suit's folds for faces: why it is not the default.
    @Test("the Haar cascade finds the frontal faces, with the few false ones cascades are known for")
    func haar() async throws {
        let result = try await Self.score(.haar)
        #expect(result.found >= 4 && result.false <= 2, "\(result)")
    }

    @Test("CenterFace and MTCNN give five landmarks inside the box, eyes above the mouth; Haar gives none")
    func landmarks() async throws {
        let source = ImageSource.bytes(try Fixtures.data("natural/grace_hopper.jpg"))
        for kind in [FaceDetectorKind.centerface, .mtcnn] {
            let face = try #require(try await Self.reader(kind).faces(of: source).first)
            let marks = try #require(face.landmarks)
            #expect(marks.map(\.name) == ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"])
            let box = face.box
            #expect(marks.allSatisfy { $0.x >= box.x && $0.x <= box.x + box.width && $0.y >= box.y && $0.y <= box.y + box.height })
            #expect(marks[0].x < marks[1].x && marks[0].y < marks[3].y && marks[1].y < marks[4].y, "\(kind): \(marks)")
        }
        #expect(try await Self.reader(.haar).faces(of: source).first?.landmarks == nil)
    }

    @Test("boxes are in the upright source's pixels: an EXIF-rotated copy gives the face where the upright one has it")
    func orientation() async throws {
        let reader = try Self.reader(.centerface)
        let upright = try #require(try await reader.faces(of: .bytes(Fixtures.data("formats/hopper.jpg"))).first)
        for orientation in [3, 6, 8] {
            let rotated = try #require(try await reader.faces(of: .bytes(Fixtures.data("orientation/hopper_orientation_\(orientation).jpg"))).first)
            #expect(rotated.box.iou(upright.box) > 0.6, "orientation \(orientation): \(rotated.box) vs \(upright.box)")
        }
    }

    @Test("grey, CMYK and transparent sources are read as colour; a tiny image has no face")
    func sources() async throws {
        let reader = try Self.reader(.centerface)
        #expect(try await reader.faces(of: .bytes(Fixtures.data("natural/camera.jpg"))).count == 1)
        let cmyk = try await reader.faces(of: .bytes(Fixtures.data("jpeg/video-001.cmyk.jpeg")))
        #expect(cmyk.count == 2, "\(cmyk)")
        let face = try VipsImage.load(try Fixtures.data("natural/grace_hopper.jpg")).addingBand(constant: 200)
        #expect(try await reader.faces(of: .bytes(Data(face.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true))))).count == 1)
        let tiny = try VipsImage.fromPixels([UInt8](repeating: 90, count: 8 * 8 * 3), width: 8, height: 8, bands: 3)
        #expect(try await reader.faces(of: .bytes(Data(tiny.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true))))).isEmpty)
    }

    @Test("a missing model names the file and where it comes from; a broken one is refused at load")
    func missingModels() throws {
        let empty = try TemporaryFolder()
        for kind in [FaceDetectorKind.centerface, .mtcnn] {
            #expect {
                _ = try FaceDetector(kind: kind, models: FaceModels(folder: empty.path))
            } throws: { error in
                guard case let .modelMissing(message) = error as? FaceDetectionError else { return false }
                return message.contains(empty.path) && message.contains("bootstrap")
            }
        }
        try Data("not a network".utf8).write(to: URL(fileURLWithPath: empty.path + "/centerface.onnx"))
        #expect {
            _ = try FaceDetector(kind: .centerface, models: FaceModels(folder: empty.path))
        } throws: { error in
            if case .modelUnreadable = error as? FaceDetectionError { return true }
            return false
        }
        #expect(throws: FaceDetectionError.self) { _ = try FaceDetector(kind: .haar, models: FaceModels(haarCascade: empty.path + "/none.xml")) }
    }

    @Test("eight images at once on two pixel threads give the same faces as one at a time")
    func concurrent() async throws {
        let reader = try Self.reader(.centerface)
        let source = ImageSource.bytes(try Fixtures.data("natural/grace_hopper.jpg"))
        let alone = try await reader.faces(of: source)
        let together = try await withThrowingTaskGroup(of: [DetectedObject].self) { group in
            for _ in 0..<8 { group.addTask { try await reader.faces(of: source) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(together.allSatisfy { $0 == alone })
    }
}

/// What the detector reports to the metrics system.
@Suite("Face detection metrics")
struct FaceDetectionMetricsTests {
    @Test("each pass records its time by detector and size")
    func timer() async throws {
        let metrics = TestMetrics()
        let detector = try FaceDetector(kind: .centerface, models: FaceModels(folder: FaceFixtures.models), metrics: metrics)
        let reader = FaceReader(processor: ImageProcessor(pool: FaceDetectorTests.pool).detecting(with: detector, absence: ""))
        _ = try await reader.faces(of: .bytes(Fixtures.data("natural/grace_hopper.jpg")))
        let timer = try metrics.expectTimer("darkroom_face_detection_seconds", [("detector", "centerface"), ("size", "640")])
        #expect(timer.values.count == 1 && timer.values[0] > 0)
    }
}
