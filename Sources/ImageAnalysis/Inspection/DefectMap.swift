/// Where an aligned, illumination-matched photo differs from its reference.
///
/// Each pixel's difference is the larger of how far the photo's pixel is from the nearest
/// reference value around it and how far the reference's pixel is from the nearest photo value
/// around it (3×3 neighbourhoods): an edge that
/// alignment left half a pixel off finds its match a pixel away and does not count, while a
/// spot, a scratch or a missing patch matches nothing near it on one side or the other. Where
/// the reference itself varies sharply (threads, veins, print), a share of that local contrast
/// is allowed as well: fine detail resamples differently at every sub-pixel shift, while a
/// defect on a plain surface gets no allowance at all.
struct DefectMap {
    let width: Int
    let height: Int
    /// The difference per pixel, 0–255; 0 outside the part of the reference the photo covers.
    let difference: [Double]
    /// Pixels at or above the threshold.
    let mask: [Bool]

    /// How far, in working pixels, a pixel looks for its match.
    static let tolerance = 1
    /// The share of the reference's local contrast (its range over the neighbourhood) allowed.
    static let edgeAllowance = 0.3

    /// A connected region of the mask.
    struct Region {
        var box: (x: Int, y: Int, width: Int, height: Int)
        var area: Int
        var meanDifference: Double
    }

    /// `valid` marks the pixels the photo covers, well inside its edges (``ReferenceInspector/warped(_:by:to:margin:)``).
    init(photo: GreyPlane, reference: GreyPlane, valid: [Bool], threshold: Double) {
        width = reference.width
        height = reference.height
        let a = photo.values, b = reference.values
        var difference = [Double](repeating: 0, count: width * height)
        let r = Self.tolerance
        for y in r..<max(r, height - r) {
            for x in r..<max(r, width - r) {
                let index = y * width + x
                guard valid[index] else { continue }
                var photoToReference = Double.infinity, referenceToPhoto = Double.infinity
                var lowest = Double.infinity, highest = -Double.infinity
                for dy in -r...r {
                    for dx in -r...r {
                        let neighbour = index + dy * width + dx
                        photoToReference = min(photoToReference, abs(a[index] - b[neighbour]))
                        referenceToPhoto = min(referenceToPhoto, abs(b[index] - a[neighbour]))
                        lowest = min(lowest, b[neighbour])
                        highest = max(highest, b[neighbour])
                    }
                }
                difference[index] = max(0, max(photoToReference, referenceToPhoto) - Self.edgeAllowance * (highest - lowest))
            }
        }
        self.difference = difference
        mask = difference.map { $0 >= threshold }
    }

    /// How many pixels the mask is grown by before it is labelled: parts of one defect a few
    /// pixels apart (a broken scratch, a flat patch over texture that it happens to match in
    /// places) are one defect.
    static let bridge = 3

    /// The connected regions (8-neighbours, gaps of up to twice ``bridge`` pixels bridged) of
    /// at least `minimumArea` mask pixels.
    func regions(minimumArea: Int) -> [Region] {
        // Labelled on the grown mask; measured on the mask itself.
        var grown = mask
        for _ in 0..<Self.bridge { grown = Self.dilated(grown, width: width, height: height) }
        var label = [Int](repeating: -1, count: width * height)
        var regions: [Region] = []
        var stack: [Int] = []
        for start in grown.indices where grown[start] && label[start] < 0 {
            let id = regions.count
            var region = Region(box: (x: width, y: height, width: 0, height: 0), area: 0, meanDifference: 0)
            var right = 0, bottom = 0, total = 0.0
            label[start] = id
            stack.append(start)
            while let index = stack.popLast() {
                let x = index % width, y = index / width
                if mask[index] {
                    region.area += 1
                    total += difference[index]
                    region.box.x = min(region.box.x, x); region.box.y = min(region.box.y, y)
                    right = max(right, x); bottom = max(bottom, y)
                }
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                        let neighbour = ny * width + nx
                        if grown[neighbour] && label[neighbour] < 0 {
                            label[neighbour] = id
                            stack.append(neighbour)
                        }
                    }
                }
            }
            region.box.width = right - region.box.x + 1
            region.box.height = bottom - region.box.y + 1
            region.meanDifference = region.area > 0 ? total / Double(region.area) : 0
            regions.append(region)
        }
        return regions.filter { $0.area >= minimumArea }
    }

    /// `mask` grown by one pixel (8-neighbours).
    static func dilated(_ mask: [Bool], width: Int, height: Int) -> [Bool] {
        var result = mask
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] {
                for ny in max(0, y - 1)...min(height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(width - 1, x + 1) { result[ny * width + nx] = true }
                }
            }
        }
        return result
    }
}
