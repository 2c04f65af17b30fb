import Foundation
import Testing
import TestSupport
import Vips

@Suite("darkroom faces, and face options in transform")
struct FacesCommandTests {
    @Test("one JSON line per image: a face with its box and landmarks, no face, and a broken file on standard error")
    func faces() async throws {
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Fixtures.url("faces/astronaut.jpg"), to: root.appendingPathComponent("astronaut.jpg"))
        try FileManager.default.copyItem(at: Fixtures.url("natural/coffee.jpg"), to: root.appendingPathComponent("coffee.jpg"))
        try Data("not an image".utf8).write(to: root.appendingPathComponent("broken.jpg"))
        let result = try await CLI.run(["faces", "--face-models", FaceFixtures.models, root.path])
        #expect(result.status == 2 && result.stderr.contains("broken.jpg"), "\(result.stderr)")
        let lines = result.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let byFile = Dictionary(uniqueKeysWithValues: lines.map { (URL(fileURLWithPath: $0["file"] as! String).lastPathComponent, $0["faces"] as! [[String: Any]]) })
        #expect(byFile["coffee.jpg"]?.isEmpty == true)
        let face = try #require(byFile["astronaut.jpg"]?.first)
        #expect((face["landmarks"] as? [[String: Any]])?.count == 5 && face["score"] != nil && face["box"] != nil)
        for detector in ["mtcnn", "haar"] {
            let other = try await CLI.run(["faces", "--face-detector", detector, "--face-models", FaceFixtures.models,
                                           root.appendingPathComponent("astronaut.jpg").path])
            #expect(other.status == 0 && other.output.contains("\"box\""), "\(detector): \(other.stderr)")
        }
    }

    @Test("a missing model is a clear error with a non-zero exit, for faces and for transform's face options")
    func missingModel() async throws {
        let image = Fixtures.url("faces/astronaut.jpg").path
        let faces = try await CLI.run(["faces", "--face-models", "/nonexistent", image])
        #expect(faces.status != 0 && faces.stderr.contains("/nonexistent/centerface.onnx is missing"), "\(faces.stderr)")
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out.jpg").path
        let transform = try await CLI.run(["transform", image, out, "--recipe", "bd:10", "--face-models", "/nonexistent"])
        #expect(transform.status != 0 && transform.stderr.contains("centerface.onnx is missing"), "\(transform.stderr)")
        // Without face options the models are not needed at all.
        let plain = try await CLI.run(["transform", image, out, "--recipe", "rs:fill:50:50", "--face-models", "/nonexistent"])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderr)")
    }

    @Test("transform takes g:face and bd with the real detector")
    func transform() async throws {
        let root = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out.png").path
        let result = try await CLI.run(["transform", Fixtures.url("faces/astronaut.jpg").path, out, "--recipe", "rs:fill:80:300/g:face/bd:15",
                                        "--face-models", FaceFixtures.models])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try VipsImage.load(Data(contentsOf: URL(fileURLWithPath: out)))
        #expect((image.width, image.height) == (80, 300))
    }
}
