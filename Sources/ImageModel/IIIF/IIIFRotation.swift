/// The `rotation` parameter: an optional mirror, then a clockwise rotation.
public struct IIIFRotation: Hashable, Sendable {
    /// Mirror left to right before rotating (`!`).
    public let mirror: Bool
    /// Degrees clockwise, 0 ≤ degrees ≤ 360.
    public let degrees: Double

    /// Parses `n` or `!n` with 0 ≤ n ≤ 360.
    public init(parsing text: String) throws(IIIFError) {
        mirror = text.hasPrefix("!")
        guard let value = IIIFNumber.decimal(mirror ? text.dropFirst()[...] : text[...]), value <= 360 else {
            throw IIIFError(parameter: "rotation", "expected a number of degrees from 0 to 360, optionally after !, got '\(text)'")
        }
        degrees = value.truncatingRemainder(dividingBy: 360)
    }
}
