import ImageModel
import Vision

/// Viola–Jones with OpenCV's frontal-face Haar cascade, on the histogram-equalised grey image.
final class HaarFaces: FaceEngine {
    let cascade: CascadeClassifier
    let minimumNeighbours: Int
    let minimumSize: Int

    init(file: String, minimumNeighbours: Int, minimumSize: Int) throws(VisionError) {
        cascade = try CascadeClassifier(file: file)
        self.minimumNeighbours = minimumNeighbours
        self.minimumSize = minimumSize
    }

    func faces(in image: RGBImage) throws(VisionError) -> [DetectedObject] {
        let count = image.width * image.height
        var grey = [UInt8](repeating: 0, count: count)
        var histogram = [Int](repeating: 0, count: 256)
        for index in 0..<count {
            let base = index * 3
            let luma = 0.299 * image.values[base] + 0.587 * image.values[base + 1] + 0.114 * image.values[base + 2]
            grey[index] = UInt8(clamping: Int(luma.rounded()))
            histogram[Int(grey[index])] += 1
        }
        // Equalised, as OpenCV's own face samples do, so dim and flat photos give the cascade contrast.
        var cumulative = 0
        let lowest = histogram.first { $0 > 0 } ?? 0
        let lookup = histogram.map { bin -> UInt8 in
            cumulative += bin
            return count > lowest ? UInt8(clamping: (cumulative - lowest) * 255 / (count - lowest)) : 0
        }
        let equalised = grey.map { lookup[Int($0)] }
        let hits = try cascade.detect(in: GreyPixels(width: image.width, height: image.height, bytes: equalised),
                                      scaleFactor: 1.1, minimumNeighbours: minimumNeighbours, minimumSize: minimumSize)
        // The neighbour count is the cascade's only confidence: more agreeing windows, surer.
        return hits.map { hit in
            DetectedObject(label: "face", score: Float(hit.neighbours) / Float(hit.neighbours + minimumNeighbours),
                           box: Box(x: Float(hit.x), y: Float(hit.y), width: Float(hit.width), height: Float(hit.height)))
        }.sorted { $0.score > $1.score }
    }
}
