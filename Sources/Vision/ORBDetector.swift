import COpenCV

/// OpenCV's ORB (oriented FAST corners with rotated BRIEF descriptors): keypoints that survive
/// scaling, turning and cropping, each with a 256-bit descriptor.
public struct ORBDetector: Sendable {
    /// At most this many keypoints, the strongest.
    public var maximumCount: Int
    /// Scale between pyramid levels, and how many levels: 1.2 and 8 find points across a 4×
    /// range of scale.
    public var scaleFactor: Float
    public var levels: Int
    /// Border, in pixels, where no point is looked for (also the descriptor's patch size).
    public var edgeThreshold: Int
    /// FAST's corner threshold: lower finds more points in soft images.
    public var fastThreshold: Int

    /// A detector; the defaults are OpenCV's but for the count.
    public init(maximumCount: Int = 500, scaleFactor: Float = 1.2, levels: Int = 8, edgeThreshold: Int = 31,
                fastThreshold: Int = 20) {
        self.maximumCount = maximumCount
        self.scaleFactor = scaleFactor
        self.levels = levels
        self.edgeThreshold = edgeThreshold
        self.fastThreshold = fastThreshold
    }

    /// The keypoints of `image`. Images smaller than the border have none.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public func detect(in image: GreyPixels) throws(VisionError) -> Keypoints {
        VisionRuntime.ensureStarted()
        guard image.width > 2 * edgeThreshold, image.height > 2 * edgeThreshold, maximumCount > 0 else { return .none }
        // ORB can return a few more than it was asked for (points tied at the cut).
        let capacity = maximumCount + 16
        var xy = [Float](repeating: 0, count: 2 * capacity)
        var responses = [Float](repeating: 0, count: capacity)
        var descriptors = [UInt8](repeating: 0, count: Keypoints.descriptorBytes * capacity)
        var error = [CChar](repeating: 0, count: 512)
        let count = image.bytes.withUnsafeBufferPointer { pixels in
            dr_cv_orb(pixels.baseAddress, Int32(image.width), Int32(image.height), image.width, Int32(maximumCount),
                      scaleFactor, Int32(levels), Int32(edgeThreshold), Int32(fastThreshold),
                      &xy, &responses, &descriptors, Int32(capacity), &error, error.count)
        }
        guard count >= 0 else { throw VisionError("ORB", buffer: error) }
        let found = Int(count)
        return Keypoints(positions: (0..<found).map { SIMD2(xy[2 * $0], xy[2 * $0 + 1]) },
                         responses: Array(responses.prefix(found)),
                         descriptors: Array(descriptors.prefix(found * Keypoints.descriptorBytes)))
    }
}
