import COpenCV
import Synchronization

/// A Viola–Jones cascade (Haar or LBP features) read by OpenCV's `objdetect` module, such as the
/// frontal-face cascades in Debian's `opencv-data` (`/usr/share/opencv4/haarcascades`).
///
/// OpenCV's classifier keeps scratch state between calls, so calls on one instance queue on its
/// lock; a cascade is fast enough that one instance serves a pixel pool.
public final class CascadeClassifier: Sendable {
    /// A box the cascade found, in the plane's pixels, with how many overlapping windows agreed
    /// (OpenCV's neighbour count: more is surer).
    public struct Hit: Sendable, Equatable {
        public let x: Int, y: Int, width: Int, height: Int
        public let neighbours: Int
    }

    private let handle: Mutex<OpaquePointer>
    /// The file it was read from, for messages.
    public let path: String

    /// Reads the cascade at `path`.
    /// - Throws: ``VisionError`` naming the file when it is missing or not a cascade.
    public init(file path: String) throws(VisionError) {
        VisionRuntime.ensureStarted()
        var error = [CChar](repeating: 0, count: 512)
        guard let pointer = dr_cv_cascade_load(path, &error, error.count) else {
            throw VisionError("reading the cascade \(path)", buffer: error)
        }
        handle = Mutex(pointer)
        self.path = path
    }

    deinit {
        handle.withLock { dr_cv_cascade_free($0) }
    }

    /// The windows of at least `minimumSize` pixels that the cascade accepts in `image`, scanned
    /// at sizes `scaleFactor` apart, kept where `minimumNeighbours` windows agree.
    /// - Throws: ``VisionError`` with OpenCV's message.
    public func detect(in image: GreyPixels, scaleFactor: Double = 1.1, minimumNeighbours: Int = 3,
                       minimumSize: Int = 24, capacity: Int = 256) throws(VisionError) -> [Hit] {
        guard image.width >= minimumSize, image.height >= minimumSize else { return [] }
        var boxes = [Int32](repeating: 0, count: 4 * capacity), neighbours = [Int32](repeating: 0, count: capacity)
        var error = [CChar](repeating: 0, count: 512)
        let count = handle.withLock { pointer in
            image.bytes.withUnsafeBufferPointer { pixels in
                dr_cv_cascade_detect(pointer, pixels.baseAddress, Int32(image.width), Int32(image.height), image.width,
                                     scaleFactor, Int32(minimumNeighbours), Int32(minimumSize), &boxes, &neighbours,
                                     Int32(capacity), &error, error.count)
            }
        }
        guard count >= 0 else { throw VisionError("running the cascade \(path)", buffer: error) }
        return (0..<Int(count)).map { i in
            Hit(x: Int(boxes[4 * i]), y: Int(boxes[4 * i + 1]), width: Int(boxes[4 * i + 2]), height: Int(boxes[4 * i + 3]),
                neighbours: Int(neighbours[i]))
        }
    }
}
