/// Brute-force matching of 256-bit binary descriptors by Hamming distance.
///
/// Written here rather than through OpenCV's `BFMatcher`: Debian's OpenCV 4.6 calls its Hamming
/// kernel once per pair through a function pointer with a trace region around it. Measured with
/// `perf` on `darkroom dedupe --match transformed` over the 273 images of `bench/duplicates.py`:
/// 9,015 matches of 1,024 × 256 took about 31 s there (3.5 ms each); with this loop (four XORs
/// and population counts per pair) the whole run went from 42.5 s to 25.2 s.
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
    public static func nearestTwo(_ query: Keypoints, in train: Keypoints) -> [NearestPair] {
        guard query.count > 0, train.count > 0 else { return [] }
        let queryWords = words(query), trainWords = words(train)
        var result: [NearestPair] = []
        result.reserveCapacity(query.count)
        queryWords.withUnsafeBufferPointer { q in
            trainWords.withUnsafeBufferPointer { t in
                for i in 0..<query.count {
                    let a0 = q[4 * i], a1 = q[4 * i + 1], a2 = q[4 * i + 2], a3 = q[4 * i + 3]
                    var best = (index: -1, distance: Int.max), second = (index: -1, distance: Int.max)
                    for j in 0..<train.count {
                        let distance = (a0 ^ t[4 * j]).nonzeroBitCount + (a1 ^ t[4 * j + 1]).nonzeroBitCount
                            + (a2 ^ t[4 * j + 2]).nonzeroBitCount + (a3 ^ t[4 * j + 3]).nonzeroBitCount
                        if distance < best.distance {
                            second = best
                            best = (j, distance)
                        } else if distance < second.distance {
                            second = (j, distance)
                        }
                    }
                    result.append(NearestPair(first: best.index, firstDistance: Float(best.distance), second: second.index,
                                              secondDistance: second.index < 0 ? .infinity : Float(second.distance)))
                }
            }
        }
        return result
    }

    /// The descriptors as 4 words each.
    static func words(_ keypoints: Keypoints) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: 4 * keypoints.count)
        words.withUnsafeMutableBytes { $0.copyBytes(from: keypoints.descriptors) }
        return words
    }
}
