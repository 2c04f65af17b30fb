import COpenCV

/// Enhanced correlation coefficient alignment (Evangelidis and Psarakis, 2008) from OpenCV's
/// `video` module: the warp that best maps one grey image onto another of the same size,
/// found by iterating from a guess. Slower than keypoints, but it needs no distinct corners, so
/// it aligns smooth and repetitive surfaces that keypoint matching cannot.
public enum ECCAlignment {
    /// The kinds of warp it can search for.
    public enum Motion: Int32, Sendable {
        case translation = 0
        case euclidean = 1
        case affine = 2
        case homography = 3
    }

    /// The result: the 3×3 warp (row by row) from reference coordinates to input coordinates,
    /// and the correlation reached (1 is a perfect match).
    public struct Result: Sendable {
        public let matrix: [Double]
        public let correlation: Double
    }

    /// Searches for the `motion` that maps `input` onto `reference` (the same size), from
    /// `guess` (3×3, row by row; the identity when nil). Nil when the search does not converge.
    /// - Throws: ``VisionError`` when the planes differ in size or OpenCV fails otherwise.
    public static func align(_ input: GreyPixels, to reference: GreyPixels, motion: Motion = .euclidean,
                             guess: [Double]? = nil, iterations: Int = 50, epsilon: Double = 1e-4) throws(VisionError) -> Result? {
        guard input.width == reference.width, input.height == reference.height else {
            throw VisionError("ECC alignment: \(input.width)×\(input.height) against \(reference.width)×\(reference.height)")
        }
        VisionRuntime.ensureStarted()
        var warp = guess ?? [1, 0, 0, 0, 1, 0, 0, 0, 1]
        var correlation = 0.0
        var error = [CChar](repeating: 0, count: 512)
        let status = reference.bytes.withUnsafeBufferPointer { referenceBytes in
            input.bytes.withUnsafeBufferPointer { inputBytes in
                dr_cv_find_transform_ecc(referenceBytes.baseAddress, inputBytes.baseAddress, Int32(input.width), Int32(input.height),
                                         input.width, motion.rawValue, &warp, Int32(iterations), epsilon, &correlation,
                                         &error, error.count)
            }
        }
        guard status >= 0 else { throw VisionError("ECC alignment", buffer: error) }
        return status == 1 ? Result(matrix: warp, correlation: correlation) : nil
    }
}
