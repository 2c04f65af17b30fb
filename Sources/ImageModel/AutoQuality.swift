/// How the encoder quality is chosen per image instead of fixed: imgproxy Pro's
/// `autoquality:%method:%target:%min_quality:%max_quality:%allowed_error` (`aq`), and
/// Cloudinary-style `q:auto[:best|good|eco|low]`.
///
/// Arguments left out are filled in from the service's ``AutoQualityPolicy`` when the output
/// format is known, so one URL can carry per-format defaults (AVIF's scale is not JPEG's).
public struct AutoQuality: Hashable, Sendable, Codable {
    /// What the search aims at.
    public enum Method: String, Hashable, Sendable, Codable, CaseIterable {
        /// The highest quality whose result fits in `target` bytes.
        case size
        /// The lowest quality whose result is within `target` DSSIM of the image before encoding.
        /// imgproxy's `ml` is read as this method: Darkroom always predicts the first guess.
        case dssim
        /// The lowest quality whose result scores at least `target` (0–100) in SSIMULACRA2
        /// against the image before encoding: 90 visually lossless, 70 high quality, 50 medium.
        case ssimulacra2
    }

    /// `q:auto`'s levels. Each is an SSIMULACRA2 target relative to the format's `good`
    /// (``AutoQualityPolicy/goodScores``), which is the look fixed q80 gives the median photo
    /// in that format: WebP's 4:2:0 chroma scores lower than JPEG's at any quality.
    public enum Level: String, Hashable, Sendable, CaseIterable, Codable {
        /// Close to visually lossless: `good` + 10.
        case best
        /// The median photo's look at fixed q80, on every photo (`q:auto`).
        case good
        /// Smaller, with artefacts visible on close inspection: `good` − 8.
        case eco
        /// Smallest; for previews and placeholders: `good` − 16.
        case low

        /// Points above (or below) the format's `good` score.
        public var offset: Double {
            switch self {
            case .best: 10
            case .good: 0
            case .eco: -8
            case .low: -16
            }
        }
    }

    /// What the search aims at.
    public var method: Method
    /// Bytes for `size`, DSSIM for `dssim`, a score for `ssimulacra2`; nil takes the policy's
    /// (not for `size`).
    public var target: Double?
    /// The lowest quality the search may choose; nil takes the policy's for the format.
    public var minQuality: Int?
    /// The highest quality the search may choose; nil takes the policy's for the format.
    public var maxQuality: Int?
    /// `q:auto`'s level, when the request came from it; its target is the policy's for the format.
    public var level: Level?
    /// How far from the target a result may land and still stop the search: DSSIM below the
    /// target for `dssim`, points above it for `ssimulacra2`, a fraction of the budget below it
    /// for `size`. Nil takes the policy's.
    public var allowedError: Double?

    /// Creates an automatic-quality request; arguments left nil come from the policy.
    public init(method: Method, target: Double? = nil, minQuality: Int? = nil, maxQuality: Int? = nil,
                allowedError: Double? = nil) {
        self.method = method
        self.target = target
        self.minQuality = minQuality
        self.maxQuality = maxQuality
        self.allowedError = allowedError
    }

    /// `q:auto:level`: the SSIMULACRA2 method at the level's target for the output format.
    public init(level: Level) {
        self.init(method: .ssimulacra2)
        self.level = level
    }

    /// The arguments as `aq` writes them, trailing defaults left out.
    var arguments: [String] {
        var values: [String?] = [method.rawValue, target.map(NumberFormat.format), minQuality.map(String.init),
                                 maxQuality.map(String.init), allowedError.map(NumberFormat.format)]
        while let last = values.last, last == nil, values.count > 1 { values.removeLast() }
        return values.map { $0 ?? "" }
    }
}
