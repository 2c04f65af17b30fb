/// The `size` parameter: how the region is scaled.
public struct IIIFSize: Hashable, Sendable {
    /// How the target is given.
    public enum Kind: Hashable, Sendable {
        case max
        case width(Int)
        case height(Int)
        case percent(Double)
        /// Exactly this size, distorting if need be.
        case exact(width: Int, height: Int)
        /// The largest size that fits inside, keeping the aspect ratio (`!w,h`).
        case confined(width: Int, height: Int)
    }

    /// `^`: the result may be larger than the region.
    public let upscale: Bool
    public let kind: Kind

    /// Parses `max`, `w,`, `,h`, `pct:n`, `w,h`, `!w,h`, each optionally prefixed with `^`.
    public init(parsing text: String) throws(IIIFError) {
        upscale = text.hasPrefix("^")
        let body = upscale ? String(text.dropFirst()) : text
        let expected = "max, w,, ,h, pct:n, w,h or !w,h, optionally after ^"
        func whole(_ part: Substring) throws(IIIFError) -> Int {
            guard !part.isEmpty, part.allSatisfy(\.isASCIIDigit), let value = Int(part), value > 0 else {
                throw IIIFError(parameter: "size", "expected \(expected) with whole numbers > 0, got '\(text)'")
            }
            return value
        }
        if body == "max" {
            kind = .max
        } else if body.hasPrefix("pct:") {
            guard let value = IIIFNumber.decimal(body.dropFirst(4)[...]), value > 0 else {
                throw IIIFError(parameter: "size", "expected pct:n with n > 0, got '\(text)'")
            }
            kind = .percent(value)
        } else {
            let confined = body.hasPrefix("!")
            let fields = (confined ? body.dropFirst() : body[...]).split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw IIIFError(parameter: "size", "expected \(expected), got '\(text)'") }
            switch (fields[0].isEmpty, fields[1].isEmpty, confined) {
            case (false, true, false): kind = .width(try whole(fields[0]))
            case (true, false, false): kind = .height(try whole(fields[1]))
            case (false, false, false): kind = .exact(width: try whole(fields[0]), height: try whole(fields[1]))
            case (false, false, true): kind = .confined(width: try whole(fields[0]), height: try whole(fields[1]))
            default: throw IIIFError(parameter: "size", "expected \(expected), got '\(text)'")
            }
        }
    }

    /// The output size for a region of `regionWidth` × `regionHeight`.
    ///
    /// - Throws: ``IIIFError`` (400) when the result would be larger than the region without `^`,
    ///   has no pixels, or passes `maxWidth`/`maxHeight`/`maxArea`.
    public func resolve(regionWidth: Int, regionHeight: Int, limits: IIIFLimits) throws(IIIFError) -> (width: Int, height: Int) {
        let rw = Double(regionWidth), rh = Double(regionHeight)
        var width: Int, height: Int
        switch kind {
        case .max:
            // The region's size, or the largest that fits the limits (which ^max may grow to).
            let scale = limits.largestScale(width: rw, height: rh)
            let factor = upscale ? scale : min(1, scale)
            width = max(1, Int((rw * factor).rounded(.down)))
            height = max(1, Int((rh * factor).rounded(.down)))
        case let .width(w):
            width = w
            height = Int((rh * Double(w) / rw).rounded())
        case let .height(h):
            height = h
            width = Int((rw * Double(h) / rh).rounded())
        case let .percent(n):
            width = Int((rw * n / 100).rounded())
            height = Int((rh * n / 100).rounded())
        case let .exact(w, h):
            width = w
            height = h
        case let .confined(w, h):
            let scale = min(Double(w) / rw, Double(h) / rh)
            width = Int((rw * scale).rounded())
            height = Int((rh * scale).rounded())
        }
        guard width > 0, height > 0 else {
            throw IIIFError(parameter: "size", "the \(regionWidth)×\(regionHeight) region scales to no pixels")
        }
        if !upscale, width > regionWidth || height > regionHeight {
            throw IIIFError(parameter: "size",
                            "\(width)×\(height) is larger than the \(regionWidth)×\(regionHeight) region; prefix ^ to upscale")
        }
        try limits.check(width: width, height: height)
        return (width, height)
    }
}

/// The most a IIIF answer may be, as `info.json` announces it.
public struct IIIFLimits: Hashable, Sendable {
    public var maxWidth: Int
    public var maxHeight: Int
    public var maxArea: Int

    /// Creates limits.
    public init(maxWidth: Int, maxHeight: Int, maxArea: Int) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxArea = maxArea
    }

    /// The largest factor a `width` × `height` region can be scaled by within the limits.
    func largestScale(width: Double, height: Double) -> Double {
        min(Double(maxWidth) / width, Double(maxHeight) / height, (Double(maxArea) / (width * height)).squareRoot())
    }

    func check(width: Int, height: Int) throws(IIIFError) {
        guard width <= maxWidth, height <= maxHeight, width * height <= maxArea else {
            throw IIIFError(parameter: "size", "\(width)×\(height) is over the limits (maxWidth \(maxWidth), "
                + "maxHeight \(maxHeight), maxArea \(maxArea))")
        }
    }
}
