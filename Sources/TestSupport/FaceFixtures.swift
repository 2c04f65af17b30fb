public import Foundation

/// The hand-annotated faces of the fixtures (`Fixtures/faces/labels.tsv`) and the face models
/// that `scripts/bootstrap` unpacks.
public enum FaceFixtures {
    /// A face's box in the fixture's upright pixels.
    public struct Face: Sendable {
        public let x: Double, y: Double, width: Double, height: Double

        /// Intersection over union with another box.
        public func iou(x: Double, y: Double, width: Double, height: Double) -> Double {
            let overlapWidth = max(0, min(self.x + self.width, x + width) - max(self.x, x))
            let overlapHeight = max(0, min(self.y + self.height, y + height) - max(self.y, y))
            let intersection = overlapWidth * overlapHeight
            return intersection / (self.width * self.height + width * height - intersection)
        }
    }

    /// The folder with `centerface.onnx` and MTCNN's networks, under the package root.
    public static var models: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".models/faces").path
    }

    /// Every annotated fixture with its faces.
    public static func labels() throws -> [String: [Face]] {
        let text = String(decoding: try Fixtures.data("faces/labels.tsv"), as: UTF8.self)
        var faces: [String: [Face]] = [:]
        for line in text.split(separator: "\n").dropFirst() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 5, let x = Double(fields[1]), let y = Double(fields[2]), let w = Double(fields[3]),
                  let h = Double(fields[4]) else { continue }
            faces[fields[0], default: []].append(Face(x: x, y: y, width: w, height: h))
        }
        return faces
    }

    /// Fixtures with no human face in them.
    public static let withoutFaces = ["natural/chelsea.jpg", "natural/coffee.jpg", "natural/rocket.jpg", "jpeg/video-005.gray.jpeg",
                                      "webp_tiff/yellow_rose.lossy.webp"]
}
