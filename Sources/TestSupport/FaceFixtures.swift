public import Foundation
public import ImageModel

/// The hand-annotated faces of the fixtures (`Fixtures/faces/labels.tsv`) and the face models
/// that `scripts/bootstrap` unpacks.
public enum FaceFixtures {
    /// The folder with `centerface.onnx` and MTCNN's networks, under the package root.
    public static var models: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".models/faces").path
    }

    /// Every annotated fixture with its faces' boxes, in its upright pixels.
    public static func labels() throws -> [String: [Box]] {
        let text = String(decoding: try Fixtures.data("faces/labels.tsv"), as: UTF8.self)
        var faces: [String: [Box]] = [:]
        for line in text.split(separator: "\n").dropFirst() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 5, let x = Float(fields[1]), let y = Float(fields[2]), let w = Float(fields[3]),
                  let h = Float(fields[4]) else { continue }
            faces[fields[0], default: []].append(Box(x: x, y: y, width: w, height: h))
        }
        return faces
    }

    /// Fixtures with no human face in them.
    public static let withoutFaces = ["natural/chelsea.jpg", "natural/coffee.jpg", "natural/rocket.jpg", "jpeg/video-005.gray.jpeg",
                                      "webp_tiff/yellow_rose.lossy.webp"]
}
