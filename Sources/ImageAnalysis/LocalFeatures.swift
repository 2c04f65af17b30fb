public import Foundation
public import Vision

/// ORB keypoints of an image's analysis copy (``FeatureExtractor/analysisSize``): the local
/// features that verify a crop, a turn or an overlay that the global hashes no longer see
/// (``KeypointVerification``).
///
/// Stored packed, 36 bytes a point: x and y in sixteenths of a pixel (two little-endian
/// `UInt16`s), then the 32-byte descriptor.
public struct LocalFeatures: Sendable, Equatable {
    /// The detector's settings' version: features of another version are not compared.
    public static let currentVersion = 1
    /// The points measured per image, spread over it (``spread(_:width:height:)``): a query
    /// brings them all, so that the points an index kept of the original, wherever a crop
    /// took them from, find their own among the query's.
    public static let detectedCount = 1024
    /// The points an index keeps per image (36 bytes each), the first of the spread order (so
    /// themselves spread): ``stored``. On the bench's 21 photos (`bench/duplicates.py`), a
    /// quarter-area crop was verified against its original for 12 photos with 256 kept points
    /// and 14 with 384; the two photos without corners (smooth gradients) for none.
    public static let storedCount = 384

    public var version: Int
    /// The analysis copy's size, which the positions are relative to.
    public var width: Int
    public var height: Int
    public var keypoints: Keypoints

    /// Features from their parts.
    public init(version: Int = LocalFeatures.currentVersion, width: Int, height: Int, keypoints: Keypoints) {
        self.version = version
        self.width = width
        self.height = height
        self.keypoints = keypoints
    }

    /// Features from points in strength order: their positions and their 32-byte descriptors,
    /// end to end. Positions are kept in sixteenths of a pixel, as the packed form keeps them.
    public init(width: Int, height: Int, positions: [SIMD2<Float>], descriptors: [UInt8]) {
        precondition(descriptors.count == positions.count * Keypoints.descriptorBytes)
        self.init(width: width, height: height,
                  keypoints: Keypoints(positions: positions.map { ($0 * 16).rounded(.toNearestOrAwayFromZero) / 16 },
                                       responses: Self.rankResponses(positions.count), descriptors: descriptors))
    }

    /// These points followed by `other`'s, weaker than every one of these.
    public func appending(_ other: LocalFeatures) -> LocalFeatures {
        LocalFeatures(width: width, height: height, positions: keypoints.positions + other.keypoints.positions,
                      descriptors: keypoints.descriptors + other.keypoints.descriptors)
    }

    /// No features (an image too small or too flat to have any).
    public static func none(width: Int, height: Int) -> LocalFeatures {
        LocalFeatures(width: width, height: height, keypoints: .none)
    }

    /// How many points.
    public var count: Int { keypoints.count }

    /// Bits `bits` (at most 64 of the 256) of point `index`'s descriptor, the first one highest:
    /// a key for looking the point up.
    public func descriptorBits(of index: Int, _ bits: Range<Int>) -> UInt64 {
        precondition(bits.count <= 64 && bits.lowerBound >= 0 && bits.upperBound <= 8 * Keypoints.descriptorBytes)
        let base = index * Keypoints.descriptorBytes
        var key: UInt64 = 0
        for bit in bits {
            key = (key << 1) | UInt64((keypoints.descriptors[base + bit / 8] >> UInt8(7 - bit % 8)) & 1)
        }
        return key
    }

    /// The detector every signature uses: twice the points kept, for ``spread(_:width:height:)``
    /// to choose from, with FAST's threshold at 10 so that soft regions have corners too.
    static let detector = ORBDetector(maximumCount: 2 * detectedCount, fastThreshold: 10)
    /// The grid the kept points are spread over.
    static let gridSize = 8

    /// Detects the features of a grey analysis copy.
    static func detect(in grey: GreyPlane) throws(VisionError) -> LocalFeatures {
        let found = try detector.detect(in: grey.pixels)
        let kept = found.selecting(spread(found, width: grey.width, height: grey.height))
        // As the packed form keeps them, so that a signature equals itself read back.
        return LocalFeatures(width: grey.width, height: grey.height, positions: kept.positions, descriptors: kept.descriptors)
    }

    /// The responses the packed form stands in for: the order, strongest first.
    static func rankResponses(_ count: Int) -> [Float] { (0..<count).map { Float(count - $0) } }

    /// The indices of at most ``detectedCount`` points, taken in turn from each cell of an 8×8 grid,
    /// strongest first within a cell. The strongest points of a photo crowd into its busiest
    /// part; a crop elsewhere would keep none of them (a centre crop of a quarter of a portrait
    /// kept 4 of the 500 strongest, measured in `LocalFeatureTests`), while spread points leave
    /// every part of the image its share.
    static func spread(_ points: Keypoints, width: Int, height: Int) -> [Int] {
        var cells = [[Int]](repeating: [], count: gridSize * gridSize)
        for (index, position) in points.positions.enumerated() {
            let column = min(gridSize - 1, max(0, Int(position.x) * gridSize / max(1, width)))
            let row = min(gridSize - 1, max(0, Int(position.y) * gridSize / max(1, height)))
            cells[row * gridSize + column].append(index)
        }
        cells = cells.map { cell in cell.sorted { points.responses[$0] > points.responses[$1] } }
        var chosen: [Int] = []
        var depth = 0
        while chosen.count < detectedCount, cells.contains(where: { $0.count > depth }) {
            // One round: each cell's next strongest, the strongest of the round first.
            let round = cells.compactMap { $0.count > depth ? $0[depth] : nil }.sorted { points.responses[$0] > points.responses[$1] }
            chosen += round.prefix(detectedCount - chosen.count)
            depth += 1
        }
        return chosen
    }

    /// The first ``storedCount`` points: what an index keeps.
    public var stored: LocalFeatures {
        guard count > Self.storedCount else { return self }
        let kept = keypoints.selecting(Array(0..<Self.storedCount))
        return LocalFeatures(width: width, height: height, positions: kept.positions, descriptors: kept.descriptors)
    }

    // MARK: Packed form

    private static let magic = Array("DRLF".utf8)

    /// The packed bytes: a header (magic, version, point count, width, height), then every point
    /// (``stored`` first for the form an index keeps).
    public var packed: Data {
        var out = PackedBytes()
        out.append(contentsOf: Self.magic)
        out.append(UInt8(truncatingIfNeeded: version))
        for value in [keypoints.count, width, height] { out.append(UInt16(clamping: value)) }
        for index in 0..<keypoints.count {
            let position = keypoints.positions[index]
            out.append(UInt16(clamping: Int((position.x * 16).rounded())))
            out.append(UInt16(clamping: Int((position.y * 16).rounded())))
            out.append(contentsOf: keypoints.descriptor(index))
        }
        return out.data
    }

    /// Features from their packed bytes.
    /// - Throws: ``AnalysisError/malformedFeatures(_:)`` for bytes that are not packed features.
    public init(packed data: Data) throws(AnalysisError) {
        var input = PackedBytes(reading: data, malformed: AnalysisError.malformedFeatures)
        guard let magic = try? input.read(Self.magic.count), Array(magic) == Self.magic else {
            throw .malformedFeatures("not packed local features")
        }
        let version = Int(try input.read(UInt8.self))
        let count = Int(try input.read(UInt16.self)), width = Int(try input.read(UInt16.self)), height = Int(try input.read(UInt16.self))
        guard input.remaining == count * (4 + Keypoints.descriptorBytes) else {
            throw .malformedFeatures("\(data.count) bytes for \(count) points")
        }
        var positions: [SIMD2<Float>] = [], descriptors: [UInt8] = []
        positions.reserveCapacity(count)
        descriptors.reserveCapacity(count * Keypoints.descriptorBytes)
        for _ in 0..<count {
            let x = try input.read(UInt16.self), y = try input.read(UInt16.self)
            positions.append(SIMD2(Float(x) / 16, Float(y) / 16))
            descriptors += try input.read(Keypoints.descriptorBytes)
        }
        // The order is the strength order; the responses themselves are not kept.
        self.init(version: version, width: width, height: height,
                  keypoints: Keypoints(positions: positions, responses: Self.rankResponses(count), descriptors: descriptors))
    }
}
