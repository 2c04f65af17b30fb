/// The `quality` parameter: the colour treatment of the answer.
public enum IIIFQuality: String, Hashable, Sendable, CaseIterable {
    case `default`, color, gray, bitonal

    /// Parses a quality name.
    public init(parsing text: String) throws(IIIFError) {
        guard let quality = IIIFQuality(rawValue: text) else {
            throw IIIFError(parameter: "quality", "expected default, color, gray or bitonal, got '\(text)'")
        }
        self = quality
    }
}
