import COpenCV

/// A plane-to-plane mapping fitted with RANSAC (OpenCV's `findHomography`): which point pairs
/// agree with one perspective transform, and that transform.
public struct Homography: Sendable, Equatable {
    /// How the inliers are found: OpenCV's classic RANSAC, or its USAC framework (local
    /// optimisation and early rejection of hopeless samples; OpenCV 4.5 and later). The raw
    /// values are OpenCV's own constants.
    public enum Method: Int32, Sendable {
        case ransac = 8
        case usac = 32
    }

    /// The 3×3 matrix, row by row.
    public var matrix: [Double]
    /// Per pair given, whether it agrees with the matrix.
    public var inliers: [Bool]

    public var inlierCount: Int { inliers.lazy.filter { $0 }.count }

    /// A homography from its matrix (row by row), with the pairs it was fitted to, if any.
    public init(matrix: [Double], inliers: [Bool] = []) {
        precondition(matrix.count == 9, "a homography is 3×3")
        self.matrix = matrix
        self.inliers = inliers
    }

    /// Where the matrix takes `point`, or nil at infinity.
    public func apply(to point: SIMD2<Double>) -> SIMD2<Double>? {
        let w = matrix[6] * point.x + matrix[7] * point.y + matrix[8]
        guard abs(w) > 1e-12 else { return nil }
        return SIMD2((matrix[0] * point.x + matrix[1] * point.y + matrix[2]) / w,
                     (matrix[3] * point.x + matrix[4] * point.y + matrix[5]) / w)
    }

    /// The homography that takes `source` points to `destination` points, fitted with RANSAC;
    /// nil when fewer than 4 pairs are given or none fits.
    /// - Parameter reprojectionThreshold: how far, in pixels, a mapped point may land from its
    ///   pair and still agree.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public static func fit(from source: [SIMD2<Float>], to destination: [SIMD2<Float>], method: Method = .ransac,
                           reprojectionThreshold: Double = 5,
                           maximumIterations: Int = 2000, confidence: Double = 0.995) throws(VisionError) -> Homography? {
        try fitted(source, destination, minimum: 4, values: 9, operation: "homography") { sourceXY, destinationXY, count, matrix, mask, error, errorSize in
            dr_cv_find_homography(sourceXY, destinationXY, count, method.rawValue, reprojectionThreshold, Int32(maximumIterations),
                                  confidence, matrix, mask, error, errorSize)
        }
    }

    /// Runs one of OpenCV's robust fits on the point pairs: checks them, flattens them to
    /// x, y floats, and reads back the matrix (`values` of it; a 2×3 one gains the row 0 0 1)
    /// and which pairs agree.
    private static func fitted(
        _ source: [SIMD2<Float>], _ destination: [SIMD2<Float>], minimum: Int, values: Int, operation: String,
        _ call: (UnsafePointer<Float>, UnsafePointer<Float>, Int32, UnsafeMutablePointer<Double>, UnsafeMutablePointer<UInt8>,
                 UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws(VisionError) -> Homography? {
        precondition(source.count == destination.count)
        VisionRuntime.ensureStarted()
        guard source.count >= minimum else { return nil }
        let sourceXY = source.flatMap { [$0.x, $0.y] }, destinationXY = destination.flatMap { [$0.x, $0.y] }
        var matrix = [Double](repeating: 0, count: values)
        var mask = [UInt8](repeating: 0, count: source.count)
        var error = [CChar](repeating: 0, count: 512)
        let status = call(sourceXY, destinationXY, Int32(source.count), &matrix, &mask, &error, error.count)
        guard status >= 0 else { throw VisionError(operation, buffer: error) }
        guard status == 1 else { return nil }
        return Homography(matrix: values == 6 ? matrix + [0, 0, 1] : matrix, inliers: mask.map { $0 != 0 })
    }
}

extension Homography {
    /// The similarity (rotation, uniform scale and translation; no shear, no perspective) that
    /// takes `source` points to `destination` points, fitted with RANSAC by OpenCV's
    /// `estimateAffinePartial2D`, as a 3×3 matrix; nil when fewer than 2 pairs are given or none
    /// fits. Four degrees of freedom stay well defined where a homography's eight are not: points
    /// crowded along a few lines (a bridge's cables) bend a homography, not a similarity.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public static func fitSimilarity(from source: [SIMD2<Float>], to destination: [SIMD2<Float>], reprojectionThreshold: Double = 3,
                                     maximumIterations: Int = 2000, confidence: Double = 0.99) throws(VisionError) -> Homography? {
        try fitted(source, destination, minimum: 2, values: 6, operation: "estimating a similarity") { sourceXY, destinationXY, count, matrix, mask, error, errorSize in
            dr_cv_estimate_similarity(sourceXY, destinationXY, count, reprojectionThreshold, Int32(maximumIterations), confidence,
                                      matrix, mask, error, errorSize)
        }
    }
}
