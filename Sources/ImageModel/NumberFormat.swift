/// The one way numbers are written in recipe strings, so that the canonical form is stable.
enum NumberFormat {
    /// Whole numbers without a fraction (`2`), others in Swift's shortest round-tripping form (`0.25`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// `1` or `0`, as imgproxy writes booleans.
    static func format(_ value: Bool) -> String { value ? "1" : "0" }
}
