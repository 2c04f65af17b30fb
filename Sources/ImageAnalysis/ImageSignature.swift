/// What a similarity index needs to find an image again: complementary global features of one
/// decoded image, measured on a copy fitted in 512×512 so their cost does not grow with the
/// source (``FeatureExtractor``, the `signature` feature).
///
/// - The DCT and difference hashes find resized and re-compressed copies.
/// - The block hash (16×16 block means, 256 bits) is taken after uniform borders are trimmed,
///   so an added frame or letterbox does not move it, and it is finer than the DCT hash.
/// - The mirrored hashes are those of the image flipped left to right: a query's mirrored
///   hash meets a stored image's own when one is the mirror of the other.
/// - The ring profile (mean brightness in concentric rings) and the colour moments do not
///   change when the image turns, and tell apart images whose hashes collide by chance.
/// - The pixel digest identifies the same pixels after decoding: an `exact` match.
/// - The keypoints (``LocalFeatures``, ORB) verify what the hashes no longer see: a heavy
///   crop, a turn, an overlay (``KeypointVerification``).
///
/// Flat images (one colour, or nearly) have degenerate hashes; ``isFlat`` says so, and an index
/// matches them only exactly.
///
/// As JSON (a job's result) or packed (an index's signature column, ``packed``) a signature is
/// its global features: the keypoints, 13 KB packed, travel apart (``LocalFeatures/packed``),
/// and a signature read from either has none. Signatures of version 1 read too, so that an index can still find them exactly.
public struct ImageSignature: Sendable, Equatable, Codable {
    /// The version of the features' definition: an index recomputes signatures of another.
    public static let currentVersion = 2

    public var version: Int
    public var phash: PerceptualHash
    public var dhash: PerceptualHash
    public var blockHash: BinaryHash
    public var mirroredPHash: PerceptualHash
    public var mirroredBlockHash: BinaryHash
    /// Mean brightness per ring from the centre out, standardised (mean 0, deviation 1).
    public var ringProfile: [Double]
    /// Mean and standard deviation of red, green and blue, 0–1.
    public var colourMoments: [Double]
    /// SHA-256 of the analysis copy's pixels and the source's size, first 16 bytes, as hex.
    public var pixelDigest: String
    /// Whether the image is (nearly) one flat colour, its hashes meaningless.
    public var isFlat: Bool
    /// The analysis copy's keypoints, spread over it (``LocalFeatures``).
    public var keypoints: LocalFeatures

    /// A signature from its parts.
    public init(version: Int = ImageSignature.currentVersion, phash: PerceptualHash, dhash: PerceptualHash,
                blockHash: BinaryHash, mirroredPHash: PerceptualHash, mirroredBlockHash: BinaryHash,
                ringProfile: [Double], colourMoments: [Double], pixelDigest: String, isFlat: Bool,
                keypoints: LocalFeatures) {
        self.version = version
        self.phash = phash
        self.dhash = dhash
        self.blockHash = blockHash
        self.mirroredPHash = mirroredPHash
        self.mirroredBlockHash = mirroredBlockHash
        self.ringProfile = ringProfile
        self.colourMoments = colourMoments
        self.pixelDigest = pixelDigest
        self.isFlat = isFlat
        self.keypoints = keypoints
    }

    enum CodingKeys: String, CodingKey {
        case version, phash, dhash
        case blockHash = "block_hash", mirroredPHash = "mirrored_phash", mirroredBlockHash = "mirrored_block_hash"
        case ringProfile = "ring_profile", colourMoments = "colour_moments", pixelDigest = "pixel_digest"
        case isFlat = "flat"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(version: try container.decode(Int.self, forKey: .version),
                  phash: try container.decode(PerceptualHash.self, forKey: .phash),
                  dhash: try container.decode(PerceptualHash.self, forKey: .dhash),
                  blockHash: try container.decode(BinaryHash.self, forKey: .blockHash),
                  mirroredPHash: try container.decode(PerceptualHash.self, forKey: .mirroredPHash),
                  mirroredBlockHash: try container.decode(BinaryHash.self, forKey: .mirroredBlockHash),
                  ringProfile: try container.decode([Double].self, forKey: .ringProfile),
                  colourMoments: try container.decode([Double].self, forKey: .colourMoments),
                  pixelDigest: try container.decode(String.self, forKey: .pixelDigest),
                  isFlat: try container.decode(Bool.self, forKey: .isFlat),
                  keypoints: .none(width: 0, height: 0))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(phash, forKey: .phash)
        try container.encode(dhash, forKey: .dhash)
        try container.encode(blockHash, forKey: .blockHash)
        try container.encode(mirroredPHash, forKey: .mirroredPHash)
        try container.encode(mirroredBlockHash, forKey: .mirroredBlockHash)
        try container.encode(ringProfile, forKey: .ringProfile)
        try container.encode(colourMoments, forKey: .colourMoments)
        try container.encode(pixelDigest, forKey: .pixelDigest)
        try container.encode(isFlat, forKey: .isFlat)
    }
}
