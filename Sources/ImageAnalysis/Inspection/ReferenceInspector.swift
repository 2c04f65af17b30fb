public import Foundation
public import ImageProcessing
import ImageModel
import Vips
import Vision

/// Compares photos of a part with its golden reference and points at what differs.
///
/// Each photo is brought to the reference's working size, aligned to it (ORB keypoints and a
/// RANSAC homography; OpenCV's ECC correlation search when the keypoints do not agree),
/// matched to its brightness and contrast, and compared pixel by pixel with a one-pixel
/// tolerance for what alignment leaves. The regions that differ by more than the threshold,
/// and are not smaller than the minimum area, are the defects. The reference is prepared once
/// and serves any number of photos, from any thread.
public struct ReferenceInspector: Sendable {
    public let options: InspectionOptions
    /// The reference's working copy and its keypoints.
    let reference: GreyPlane
    /// The reference at half size, where the warp is found: keypoints and ECC cost a quarter
    /// there, and ECC's refinement is precise to a fraction of a pixel anyway.
    let halfReference: GreyPlane
    /// The keypoints of the half-size reference.
    let features: LocalFeatures

    /// The least correlation an aligned photo must reach with the reference: below it the
    /// alignment landed on the wrong place, or the photo shows something else.
    static let minimumCorrelation = 0.6
    /// The least share of the reference an aligned photo must cover.
    static let minimumCoverage = 0.6
    /// Aspect ratios that differ by more than this share are different framings.
    static let aspectTolerance = 0.03

    /// Prepares `reference` (any size; it is reduced to the working size).
    /// - Throws: ``InspectionError/unreadable(_:)`` when its pixels cannot be read.
    public init(reference image: DecodedImage, options: InspectionOptions = InspectionOptions()) throws(InspectionError) {
        self.options = options
        let side = min(max(options.workingSize, InspectionOptions.workingSizes.lowerBound), InspectionOptions.workingSizes.upperBound)
        reference = try Self.plane(image.vipsImage, longestSide: side)
        halfReference = reference.scaled(width: max(1, reference.width / 2), height: max(1, reference.height / 2))
        do { features = try LocalFeatures.detect(in: halfReference) } catch { throw .unreadable("reference keypoints: \(error)") }
    }

    /// Inspects `image`, a photo whose upright source is `sourceWidth` × `sourceHeight`;
    /// defects are reported in those pixels.
    /// - Throws: ``InspectionError/referenceMismatch(_:)`` for another aspect ratio,
    ///   ``InspectionError/unreadable(_:)`` when its pixels cannot be read.
    public func inspect(_ image: DecodedImage, sourceWidth: Int, sourceHeight: Int) throws(InspectionError) -> InspectionResult {
        let aspect = Double(image.width) / Double(image.height), expected = Double(reference.width) / Double(reference.height)
        guard abs(aspect - expected) / expected <= Self.aspectTolerance else {
            throw .referenceMismatch("the reference is \(String(format: "%.3f", expected)):1, the image \(image.width)×\(image.height) "
                                     + "(\(String(format: "%.3f", aspect)):1)")
        }
        let photo = try Self.plane(image.vipsImage, width: reference.width, height: reference.height)
        // Each way of aligning that works is tried on the pixels; the one that matches the
        // reference best wins. Few agreeing keypoints (a smooth part) can fit a warp that is
        // off, which ECC's correlation search then beats.
        var best: (warp: [Double], method: String, inliers: Int?, valid: [Bool], plane: GreyPlane, correlation: Double)?
        for (warp, method, inliers) in try alignments(photo) {
            let aligned = Self.warped(photo, by: warp, to: (reference.width, reference.height))
            guard Double(aligned.valid.lazy.filter { $0 }.count) >= Self.minimumCoverage * Double(reference.values.count) else { continue }
            let matched = Self.matchingIllumination(aligned, to: reference)
            if matched.correlation > best?.correlation ?? -1 {
                best = (warp, method, inliers, aligned.valid, matched.plane, matched.correlation)
            }
        }
        guard let best, best.correlation >= Self.minimumCorrelation else { return .unaligned }
        let map = DefectMap(photo: best.plane, reference: reference, valid: best.valid, threshold: options.threshold)
        // The minimum area is in the photo's pixels; the map is in the working copy's.
        let perWorking = Double(sourceWidth * sourceHeight) / Double(reference.width * reference.height)
        let regions = map.regions(minimumArea: max(1, Int((Double(options.minimumArea) / perWorking).rounded(.up))))
        let scale = (x: Double(sourceWidth) / Double(reference.width), y: Double(sourceHeight) / Double(reference.height))
        let defects = regions.map { region in
            InspectionResult.Defect(box: Self.box(region.box, through: best.warp, scale: scale),
                                    area: Int((Double(region.area) * perWorking).rounded()),
                                    severity: (region.meanDifference / 255 * 1000).rounded() / 1000)
        }.sorted { $0.severity > $1.severity }
        let area = Double(regions.reduce(0) { $0 + $1.area }) / Double(reference.values.count)
        return InspectionResult(status: defects.isEmpty ? .pass : .defects,
                                alignment: .init(method: best.method, inliers: best.inliers,
                                                 correlation: (best.correlation * 1000).rounded() / 1000),
                                defects: defects, defectArea: (area * 100_000).rounded() / 100_000)
    }

    /// `image` (a decoded copy of a source `sourceWidth` wide) as a PNG with each defect
    /// outlined in red.
    /// - Throws: ``InspectionError/unreadable(_:)`` when it cannot be drawn or encoded.
    public static func overlay(_ image: DecodedImage, sourceWidth: Int, result: InspectionResult) throws(InspectionError) -> Data {
        do {
            let base = try image.vipsImage.opaqueSRGB()
            let scale = Float(base.width) / Float(max(1, sourceWidth))
            let boxes = result.defects.map { Box(x: $0.box.x * scale, y: $0.box.y * scale, width: $0.box.width * scale, height: $0.box.height * scale) }
            let rectangles = boxes.compactMap { $0.pixels(inWidth: base.width, height: base.height) }
            let drawn = try base.drawingRectangles(rectangles, ink: [255, 0, 0], thickness: max(2, min(base.width, base.height) / 300))
            return try drawn.encoded(.png(compression: 6, palette: false, quality: 100, interlace: false, strip: true))
        } catch {
            throw .unreadable("drawing the overlay: \(error)")
        }
    }

    // MARK: - Steps

    /// Keypoint pairs that settle an alignment: with fewer, ECC is tried as well.
    static let confidentInliers = 40

    /// The warps from reference to photo coordinates (working copies) worth trying, how each
    /// was found, and the agreeing keypoints; empty when neither keypoints nor ECC align the photo.
    /// Both search on half-size copies; the warps are scaled back up.
    private func alignments(_ photo: GreyPlane) throws(InspectionError) -> [(matrix: [Double], method: String, inliers: Int?)] {
        let (width, height) = (halfReference.width, halfReference.height)
        guard width >= 16, height >= 16 else { return [] }
        do {
            var found: [(matrix: [Double], method: String, inliers: Int?)] = []
            let half = photo.scaled(width: width, height: height)
            let halfPixels = half.pixels, referencePixels = halfReference.pixels
            let points = try LocalFeatures.detect(in: half)
            // A similarity, not a homography: a part under a fixed camera shifts, turns and
            // perhaps scales, and keypoints crowded along a few edges leave a homography's extra
            // terms free to bend it.
            if let (source, destination) = KeypointVerification.pairs(features, points),
               source.count >= KeypointVerification.minimumInliers,
               let fit = try Homography.fitSimilarity(from: source, to: destination, reprojectionThreshold: 2),
               fit.inlierCount >= KeypointVerification.minimumInliers, Self.isPlausible(fit.matrix, width: width, height: height) {
                // Keypoints leave a pixel or so of error; the comparison tolerates one. ECC,
                // started from them, closes the gap.
                let refined = try Self.refining(fit.matrix, photo: halfPixels, reference: referencePixels)
                found.append((Self.doubled(refined ?? fit.matrix), "keypoints", fit.inlierCount))
                if fit.inlierCount >= Self.confidentInliers { return found }
            }
            // Smooth or repetitive parts give keypoints little to agree on: search by correlation.
            if let result = try ECCAlignment.align(halfPixels, to: referencePixels, motion: .euclidean),
               Self.isPlausible(result.matrix, width: width, height: height) {
                found.append((Self.doubled(result.matrix), "ecc", nil))
            }
            return found
        } catch {
            throw .unreadable("alignment: \(error)")
        }
    }

    /// A warp between half-size copies as one between the full-size ones.
    static func doubled(_ m: [Double]) -> [Double] {
        [m[0], m[1], m[2] * 2, m[3], m[4], m[5] * 2, m[6] / 2, m[7] / 2, m[8]]
    }

    /// `warp` refined by ECC (affine); nil when the search does not converge or wanders off.
    static func refining(_ warp: [Double], photo: GreyPixels, reference: GreyPixels) throws(VisionError) -> [Double]? {
        guard abs(warp[8]) > 1e-12 else { return nil }
        let w = warp.map { $0 / warp[8] }
        guard let result = try ECCAlignment.align(photo, to: reference, motion: .affine, guess: [w[0], w[1], w[2], w[3], w[4], w[5], 0, 0, 1],
                                                  iterations: 10, epsilon: 1e-3) else { return nil }
        // A refinement moves corners by a pixel or two, not tens.
        let before = Homography(matrix: warp), after = Homography(matrix: result.matrix)
        let corners = [SIMD2(0.0, 0.0), SIMD2(Double(reference.width), 0), SIMD2(0, Double(reference.height)),
                       SIMD2(Double(reference.width), Double(reference.height))]
        for corner in corners {
            guard let a = before.apply(to: corner), let b = after.apply(to: corner), ((a - b) * (a - b)).sum() < 25 else { return nil }
        }
        return result.matrix
    }

    /// Whether a warp keeps the part about its size: the reference's corners must land on a
    /// quadrilateral of half to twice its area. A wild homography fitted to chance pairs fails.
    static func isPlausible(_ matrix: [Double], width: Int, height: Int) -> Bool {
        let homography = Homography(matrix: matrix, inliers: [])
        let corners = [(0.0, 0.0), (Double(width), 0), (Double(width), Double(height)), (0, Double(height))]
        let mapped = corners.compactMap { homography.apply(to: SIMD2($0.0, $0.1)) }
        guard mapped.count == 4 else { return false }
        var twice = 0.0
        for index in 0..<4 {
            let a = mapped[index], b = mapped[(index + 1) % 4]
            twice += a.x * b.y - b.x * a.y
        }
        let ratio = abs(twice) / 2 / Double(width * height)
        return ratio > 0.5 && ratio < 2
    }

    /// The photo resampled into the reference's frame (bilinear), with which pixels it covers:
    /// those that land at least `margin` pixels inside the photo, so that a pixel compared
    /// with its neighbours never borrows one from outside it.
    static func warped(_ photo: GreyPlane, by matrix: [Double], to size: (width: Int, height: Int),
                       margin: Double = 2) -> (plane: GreyPlane, valid: [Bool]) {
        var values = [Double](repeating: 0, count: size.width * size.height)
        var valid = [Bool](repeating: false, count: values.count)
        let m = matrix, maxX = Double(photo.width - 1) - margin, maxY = Double(photo.height - 1) - margin
        photo.values.withUnsafeBufferPointer { source in
            for y in 0..<size.height {
                for x in 0..<size.width {
                    let fx = Double(x), fy = Double(y)
                    let w = m[6] * fx + m[7] * fy + m[8]
                    guard abs(w) > 1e-12 else { continue }
                    let u = (m[0] * fx + m[1] * fy + m[2]) / w, v = (m[3] * fx + m[4] * fy + m[5]) / w
                    guard u >= margin, v >= margin, u <= maxX, v <= maxY else { continue }
                    let x0 = min(Int(u), photo.width - 2), y0 = min(Int(v), photo.height - 2)
                    let ax = u - Double(x0), ay = v - Double(y0)
                    let top = source[y0 * photo.width + x0] * (1 - ax) + source[y0 * photo.width + x0 + 1] * ax
                    let bottom = source[(y0 + 1) * photo.width + x0] * (1 - ax) + source[(y0 + 1) * photo.width + x0 + 1] * ax
                    values[y * size.width + x] = top * (1 - ay) + bottom * ay
                    valid[y * size.width + x] = true
                }
            }
        }
        return (GreyPlane(width: size.width, height: size.height, values: values), valid)
    }

    /// The aligned photo's grey levels mapped onto the reference's by a tone curve, and the
    /// correlation of the two afterwards. The curve takes each photo level to the median of the
    /// reference levels under it, kept rising: a gain, an offset, a gamma and highlights the
    /// camera clipped are all matched, and defects, a small share of the pixels, do not move
    /// the medians.
    static func matchingIllumination(_ aligned: (plane: GreyPlane, valid: [Bool]), to reference: GreyPlane)
        -> (plane: GreyPlane, correlation: Double) {
        let photo = aligned.plane.values, target = reference.values
        // counts[level * 256 + referenceLevel]: how often each pair of levels meets.
        var counts = [Int](repeating: 0, count: 256 * 256)
        var perLevel = [Int](repeating: 0, count: 256)
        for index in photo.indices where aligned.valid[index] {
            // The values are 0–255: adding a half and truncating rounds them.
            let level = min(255, Int(photo[index] + 0.5)), other = min(255, Int(target[index] + 0.5))
            counts[level * 256 + other] += 1
            perLevel[level] += 1
        }
        var medians: [(level: Int, value: Double, weight: Double)] = []
        for level in 0..<256 where perLevel[level] > 0 {
            var seen = 0
            for other in 0..<256 {
                seen += counts[level * 256 + other]
                if 2 * seen >= perLevel[level] { medians.append((level, Double(other), Double(perLevel[level]))); break }
            }
        }
        // Made to rise by pooling adjacent violators, each level weighted by its pixels, so a
        // rare level (a few noisy pixels) cannot drag the common ones with it.
        var blocks: [(value: Double, weight: Double, levels: [Int])] = []
        for median in medians {
            blocks.append((median.value, median.weight, [median.level]))
            while blocks.count > 1, blocks[blocks.count - 2].value > blocks[blocks.count - 1].value {
                let last = blocks.removeLast(), previous = blocks.removeLast()
                let weight = previous.weight + last.weight
                blocks.append(((previous.value * previous.weight + last.value * last.weight) / weight, weight, previous.levels + last.levels))
            }
        }
        var curve = [Double](repeating: .nan, count: 256)
        for block in blocks { for level in block.levels { curve[level] = block.value } }
        // Levels the photo does not use take the value of the nearest used level below (above, at the bottom).
        var last = curve.first { !$0.isNaN } ?? 0
        for level in 0..<256 {
            if curve[level].isNaN { curve[level] = last }
            last = curve[level]
        }
        let values = photo.map { value -> Double in
            // Between two levels, between their values: the curve stays continuous.
            let low = min(254, max(0, Int(value))), fraction = min(1, max(0, value - Double(low)))
            return curve[low] * (1 - fraction) + curve[low + 1] * fraction
        }
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for index in values.indices where aligned.valid[index] {
            let x = values[index], y = target[index]
            n += 1; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y
        }
        let varianceX = sxx - sx * sx / max(1, n), varianceY = syy - sy * sy / max(1, n)
        let correlation = varianceX > 1e-9 && varianceY > 1e-9 ? (sxy - sx * sy / n) / (varianceX * varianceY).squareRoot() : 0
        return (GreyPlane(width: aligned.plane.width, height: aligned.plane.height, values: values), correlation)
    }

    /// A box in the reference's working frame, taken through `warp` into the photo's working
    /// frame and scaled to its source pixels.
    static func box(_ box: (x: Int, y: Int, width: Int, height: Int), through warp: [Double], scale: (x: Double, y: Double)) -> Box {
        let homography = Homography(matrix: warp, inliers: [])
        let corners = [(box.x, box.y), (box.x + box.width, box.y), (box.x, box.y + box.height), (box.x + box.width, box.y + box.height)]
        let mapped = corners.compactMap { homography.apply(to: SIMD2(Double($0.0), Double($0.1))) }
        guard let first = mapped.first else { return Box(x: 0, y: 0, width: 0, height: 0) }
        var low = first, high = first
        for point in mapped { low = pointwiseMin(low, point); high = pointwiseMax(high, point) }
        return Box(x: Float(low.x * scale.x), y: Float(low.y * scale.y),
                   width: Float((high.x - low.x) * scale.x), height: Float((high.y - low.y) * scale.y))
    }

    /// The grey working copy of `image`, its longer side at most `longestSide`.
    static func plane(_ image: VipsImage, longestSide: Int) throws(InspectionError) -> GreyPlane {
        let factor = min(1, Double(longestSide) / Double(max(image.width, image.height)))
        return try plane(image, width: max(1, Int((Double(image.width) * factor).rounded())),
                         height: max(1, Int((Double(image.height) * factor).rounded())))
    }

    /// The grey copy of `image` at exactly `width` × `height`: luma computed from its 8-bit
    /// sRGB pixels (libvips' own grey conversion goes through linear light, three times the cost).
    static func plane(_ image: VipsImage, width: Int, height: Int) throws(InspectionError) -> GreyPlane {
        do {
            var colour = try image.opaqueSRGB()
            if colour.width != width || colour.height != height {
                colour = try colour.resized(horizontal: Double(width) / Double(colour.width), vertical: Double(height) / Double(colour.height))
            }
            let plane = GreyPlane(pixels: try colour.pixelBytes(), width: colour.width, height: colour.height, bands: colour.bands)
            // A resize may round a side one pixel off the size asked for; the plane is exact.
            return colour.width == width && colour.height == height ? plane : plane.scaled(width: width, height: height)
        } catch {
            throw .unreadable("reading the pixels: \(error)")
        }
    }
}
