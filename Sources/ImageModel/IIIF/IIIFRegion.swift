/// The `region` parameter: which part of the image to return, before scaling.
public enum IIIFRegion: Hashable, Sendable {
    case full
    /// The largest centred square.
    case square
    case pixels(x: Int, y: Int, width: Int, height: Int)
    /// Percentages of the full width and height.
    case percent(x: Double, y: Double, width: Double, height: Double)

    /// Parses `full`, `square`, `x,y,w,h` or `pct:x,y,w,h`.
    public init(parsing text: String) throws(IIIFError) {
        switch text {
        case "full": self = .full
        case "square": self = .square
        default:
            let isPercent = text.hasPrefix("pct:")
            let fields = (isPercent ? text.dropFirst(4) : text[...]).split(separator: ",", omittingEmptySubsequences: false)
            let expected = "full, square, x,y,w,h or pct:x,y,w,h"
            guard fields.count == 4 else { throw IIIFError(parameter: "region", "expected \(expected), got '\(text)'") }
            if isPercent {
                let values = fields.compactMap { IIIFNumber.decimal($0) }
                guard values.count == 4, values[2] > 0, values[3] > 0 else {
                    throw IIIFError(parameter: "region", "expected pct:x,y,w,h with numbers ≥ 0 and w, h > 0, got '\(text)'")
                }
                self = .percent(x: values[0], y: values[1], width: values[2], height: values[3])
            } else {
                let values = fields.compactMap { Int($0) }.filter { $0 >= 0 }
                guard values.count == 4, values[2] > 0, values[3] > 0, fields.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else {
                    throw IIIFError(parameter: "region", "expected x,y,w,h as whole numbers ≥ 0 with w, h > 0, got '\(text)'")
                }
                self = .pixels(x: values[0], y: values[1], width: values[2], height: values[3])
            }
        }
    }

    /// The region in pixels of a `width` × `height` image, clipped to it.
    /// - Throws: ``IIIFError`` (400) when it lies wholly outside the image.
    public func resolve(width: Int, height: Int) throws(IIIFError) -> IIIFRect {
        let rect: IIIFRect
        switch self {
        case .full:
            return IIIFRect(x: 0, y: 0, width: width, height: height)
        case .square:
            let side = min(width, height)
            return IIIFRect(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side)
        case let .pixels(x, y, w, h):
            rect = IIIFRect(x: x, y: y, width: w, height: h)
        case let .percent(x, y, w, h):
            // Rounded to the nearest pixel, as the specification's own examples are.
            let px = Int((x * Double(width) / 100).rounded()), py = Int((y * Double(height) / 100).rounded())
            let pw = Int((w * Double(width) / 100).rounded()), ph = Int((h * Double(height) / 100).rounded())
            rect = IIIFRect(x: px, y: py, width: max(1, pw), height: max(1, ph))
        }
        guard rect.x < width, rect.y < height else {
            throw IIIFError(parameter: "region", "it lies wholly outside the \(width)×\(height) image")
        }
        return IIIFRect(x: rect.x, y: rect.y, width: min(rect.width, width - rect.x), height: min(rect.height, height - rect.y))
    }
}

/// A rectangle in pixels.
public struct IIIFRect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Creates a rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// Number syntax shared by the parameters.
enum IIIFNumber {
    /// A non-negative decimal without exponent or sign, such as `41.6` or `7`.
    static func decimal(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0 == "." }), text.filter({ $0 == "." }).count <= 1,
              text.first != ".", text.last != "." else { return nil }
        return Double(text)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
