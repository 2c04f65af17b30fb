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
    /// The strongest keypoints of the analysis copy.
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
        case isFlat = "flat", keypoints
    }
}
