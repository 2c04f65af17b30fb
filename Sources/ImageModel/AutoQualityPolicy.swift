/// The service-wide defaults that fill in what an `aq` option leaves out, per output format:
/// imgproxy's `IMGPROXY_AUTOQUALITY_*` settings, including `FORMAT_MIN` and `FORMAT_MAX`.
public struct AutoQualityPolicy: Hashable, Sendable {
    /// The DSSIM target when `aq:dssim` names none (imgproxy's default).
    public var dssimTarget: Double
    /// The allowed error for `dssim` (in DSSIM) when the option names none.
    public var dssimAllowedError: Double
    /// `q:auto:good`'s SSIMULACRA2 score per format, and `aq:ssimulacra2`'s when it names none.
    public var goodScores: [OutputFormat: Double]
    /// The allowed error for `ssimulacra2` (score points) when the option names none.
    public var ssimulacra2AllowedError: Double
    /// The allowed error for `size` (a fraction of the budget) when the option names none.
    public var sizeAllowedError: Double
    /// The quality range searched when the option names none, per format.
    public var ranges: [OutputFormat: ClosedRange<Int>]

    /// The defaults: imgproxy's DSSIM 0.02 ± 0.001; `good` scores (± 1.5 points) from
    /// ``defaultGoodScores``; qualities 40–95 for JPEG, WebP and TIFF and 30–85 for AVIF and
    /// HEIC (whose scale runs lower for the same look).
    public init(dssimTarget: Double = 0.02, dssimAllowedError: Double = 0.001,
                goodScores: [OutputFormat: Double] = [:], ssimulacra2AllowedError: Double = 1.5,
                sizeAllowedError: Double = 0.1, ranges: [OutputFormat: ClosedRange<Int>] = [:]) {
        self.dssimTarget = dssimTarget
        self.dssimAllowedError = dssimAllowedError
        self.goodScores = Self.defaultGoodScores.merging(goodScores) { _, configured in configured }
        self.ssimulacra2AllowedError = ssimulacra2AllowedError
        self.sizeAllowedError = sizeAllowedError
        self.ranges = Self.defaultRanges.merging(ranges) { _, configured in configured }
    }

    /// `good` per format: fixed q80's median SSIMULACRA2 over the bench photos fitted in
    /// 800×800, less the 2 points by which the search's results land above their target
    /// (`bench/autoquality.py`), so that `q:auto`'s median matches q80's.
    public static let defaultGoodScores: [OutputFormat: Double] = [
        .jpeg: 79, .tiff: 79, .webp: 74, .avif: 74, .heic: 74,
    ]

    /// The ranges used for formats the configuration does not name.
    public static let defaultRanges: [OutputFormat: ClosedRange<Int>] = [
        .jpeg: 40...95, .webp: 40...95, .tiff: 40...95, .avif: 30...85, .heic: 30...85,
    ]

    /// `request` with every argument filled in for `format`.
    ///
    /// A min or max given alone is kept, and the other end comes from the format's range; where
    /// that would cross, the given end wins (the range shrinks to it).
    public func resolved(_ request: AutoQuality, for format: OutputFormat) -> ResolvedAutoQuality {
        let range = ranges[format] ?? 40...95
        var low = request.minQuality ?? range.lowerBound
        var high = request.maxQuality ?? range.upperBound
        if low > high {
            if request.minQuality != nil { high = low } else { low = high }
        }
        switch request.method {
        case .dssim:
            return ResolvedAutoQuality(method: .dssim, target: request.target ?? dssimTarget, qualities: low...high,
                                       allowedError: request.allowedError ?? dssimAllowedError)
        case .ssimulacra2:
            let good = goodScores[format] ?? 79
            let target = request.target ?? min(100, max(0, good + (request.level?.offset ?? 0)))
            return ResolvedAutoQuality(method: .ssimulacra2, target: target, qualities: low...high,
                                       allowedError: request.allowedError ?? ssimulacra2AllowedError)
        case .size:
            // The parser requires a byte target for `size`; a JSON recipe without one gets the smallest.
            return ResolvedAutoQuality(method: .size, target: request.target ?? 1, qualities: low...high,
                                       allowedError: request.allowedError ?? sizeAllowedError)
        }
    }
}

/// An ``AutoQuality`` with every argument decided, for one output format.
public struct ResolvedAutoQuality: Hashable, Sendable {
    /// What the search aims at.
    public let method: AutoQuality.Method
    /// Bytes for `size`, DSSIM for `dssim`, a score for `ssimulacra2`.
    public let target: Double
    /// The qualities the search may choose from.
    public let qualities: ClosedRange<Int>
    /// How far inside the target a result may land and still stop the search.
    public let allowedError: Double

    /// The same request made stricter for a measurement that only approximates the result:
    /// `points` more SSIMULACRA2 score, or a DSSIM target `points` × 10% lower. Bytes are
    /// always counted exactly, so `size` is unchanged.
    public func withMargin(_ points: Double) -> ResolvedAutoQuality {
        switch method {
        case .ssimulacra2:
            ResolvedAutoQuality(method: method, target: min(100, target + points), qualities: qualities, allowedError: allowedError)
        case .dssim:
            ResolvedAutoQuality(method: method, target: target * max(0, 1 - 0.1 * points), qualities: qualities,
                                allowedError: allowedError)
        case .size:
            self
        }
    }

    /// Creates a resolved request.
    public init(method: AutoQuality.Method, target: Double, qualities: ClosedRange<Int>, allowedError: Double) {
        self.method = method
        self.target = target
        self.qualities = qualities
        self.allowedError = allowedError
    }
}
