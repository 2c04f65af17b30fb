import COpenCV

/// Brute-force matching of binary descriptors by Hamming distance (OpenCV's `BFMatcher`).
public enum DescriptorMatcher {
    /// The two nearest train descriptors of one query descriptor.
    public struct NearestPair: Sendable, Equatable {
        public var first: Int
        public var firstDistance: Float
        /// -1 when the train set has a single descriptor.
        public var second: Int
        public var secondDistance: Float
    }

    /// For each of `query`'s descriptors, its two nearest among `train`'s.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public static func nearestTwo(_ query: Keypoints, in train: Keypoints) throws(VisionError) -> [NearestPair] {
        VisionRuntime.ensureStarted()
        guard query.count > 0, train.count > 0 else { return [] }
        var indices = [Int32](repeating: -1, count: 2 * query.count)
        var distances = [Float](repeating: .infinity, count: 2 * query.count)
        var error = [CChar](repeating: 0, count: 512)
        let status = query.descriptors.withUnsafeBufferPointer { queryBytes in
            train.descriptors.withUnsafeBufferPointer { trainBytes in
                dr_cv_knn_match2(queryBytes.baseAddress, Int32(query.count), trainBytes.baseAddress, Int32(train.count),
                                 Int32(Keypoints.descriptorBytes), &indices, &distances, &error, error.count)
            }
        }
        guard status == 0 else { throw VisionError("matching", buffer: error) }
        return (0..<query.count).map { (index: Int) -> NearestPair in
            let first = 2 * index, second = 2 * index + 1
            return NearestPair(first: Int(indices[first]), firstDistance: distances[first],
                               second: Int(indices[second]), secondDistance: distances[second])
        }
    }
}
