import Foundation
import ImageModel
import Vision

/// CenterFace: one pass of an anchor-free network gives a heat map of face centres, each
/// centre's box size and offset, and five landmarks.
///
/// The network always sees one square input of `side` pixels, the image in its top-left corner:
/// OpenCV 4.6 gives wrong outputs when one CenterFace network object is run at several input
/// sizes, and one size needs only one object.
final class CenterFace: FaceEngine {
    let network: NeuralNetwork
    let side: Int
    let threshold: Float

    /// The network's output layers: heat map, box scale, centre offset, landmarks.
    static let outputs = ["537", "538", "539", "540"]

    init(file: String, side: Int, threshold: Float) throws(VisionError) {
        network = try NeuralNetwork(onnxFile: file)
        // Its strides need a multiple of 32.
        self.side = max(32, (side + 31) / 32 * 32)
        self.threshold = threshold
    }

    func faces(in image: RGBImage) throws(VisionError) -> [DetectedObject] {
        let plane = side * side
        var input = [Float](repeating: 0, count: 3 * plane)
        // The image fits the input; should a resize have rounded it a pixel over, the rest is cut.
        for y in 0..<min(image.height, side) {
            for x in 0..<min(image.width, side) {
                let source = (y * image.width + x) * 3, target = y * side + x
                input[target] = image.values[source]
                input[plane + target] = image.values[source + 1]
                input[2 * plane + target] = image.values[source + 2]
            }
        }
        let results = try network.forward(Tensor(shape: [1, 3, side, side], values: input), outputs: Self.outputs)
        let (heat, scale, offset, marks) = (results[0].values, results[1].values, results[2].values, results[3].values)
        let rows = results[0].shape[2], columns = results[0].shape[3], cells = rows * columns
        let (width, height) = (Float(image.width), Float(image.height))
        var found: [DetectedObject] = []
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = row * columns + column
                guard heat[cell] > threshold else { continue }
                // Each cell is 4 input pixels; the sizes are predicted as logarithms.
                let boxHeight = exp(scale[cell]) * 4, boxWidth = exp(scale[cells + cell]) * 4
                let left = min(width, max(0, (Float(column) + offset[cells + cell] + 0.5) * 4 - boxWidth / 2))
                let top = min(height, max(0, (Float(row) + offset[cell] + 0.5) * 4 - boxHeight / 2))
                let box = Box(x: left, y: top, width: min(left + boxWidth, width) - left, height: min(top + boxHeight, height) - top)
                guard box.width > 0, box.height > 0 else { continue }
                let landmarks = zip(FaceDetector.landmarkNames, 0..<5).map { name, index in
                    Landmark(name: name, x: marks[(2 * index + 1) * cells + cell] * boxWidth + left,
                             y: marks[2 * index * cells + cell] * boxHeight + top)
                }
                found.append(DetectedObject(label: "face", score: heat[cell], box: box, landmarks: landmarks))
            }
        }
        return DetectedObject.suppressingOverlaps(found, overlap: 0.3)
    }
}
