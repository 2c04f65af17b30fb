/// Which part of an image to keep when cropping, or where to place something.
///
/// Its string form is imgproxy's: `ce`, `no`, `so`, `ea`, `we`, `noea`, `nowe`, `soea`,
/// `sowe`, `sm` (smart, libvips' attention detector), `fp:x:y` (a focus point, with x
/// and y as fractions of the width and height) and imgproxy Pro's `obj:face` (centred on the
/// detected objects of those classes; `face` alone is its short form). JSON uses the same string.
public enum Gravity: Hashable, Sendable, Codable, CustomStringConvertible {
    case centre
    case north
    case south
    case east
    case west
    case northEast
    case northWest
    case southEast
    case southWest
    /// Keep the most interesting part, found by libvips' attention strategy.
    case smart
    /// Keep the point at fractions (`x`, `y`) of the width and height as central as possible.
    case focusPoint(x: Double, y: Double)
    /// Keep the detected objects of these classes (``DetectedObject/classes``) in frame, centred
    /// on them; the centre when none is found.
    case objects([String])

    private static let tokens: [(String, Gravity)] = [
        ("ce", .centre), ("no", .north), ("so", .south), ("ea", .east), ("we", .west),
        ("noea", .northEast), ("nowe", .northWest), ("soea", .southEast), ("sowe", .southWest),
        ("sm", .smart),
    ]

    /// The string form's first token, such as `nowe` or `fp`.
    public var token: String {
        if case .focusPoint = self { return "fp" }
        if case .objects = self { return "obj" }
        return Gravity.tokens.first { $0.1 == self }!.0
    }

    /// The arguments that follow the token in a recipe string.
    public var arguments: [String] {
        if case let .focusPoint(x, y) = self { return ["fp", NumberFormat.format(x), NumberFormat.format(y)] }
        if case let .objects(classes) = self { return ["obj"] + classes }
        return [token]
    }

    public var description: String { arguments.joined(separator: ":") }

    /// Parses a gravity from recipe arguments; returns nil when they are not one.
    ///
    /// - Parameter arguments: the token first, then `x` and `y` for `fp`.
    public static func parse(_ arguments: ArraySlice<String>) -> Gravity? {
        guard let first = arguments.first else { return nil }
        if first == "fp" {
            let rest = Array(arguments.dropFirst())
            guard rest.count == 2, let x = Double(rest[0]), let y = Double(rest[1]),
                  (0...1).contains(x), (0...1).contains(y) else { return nil }
            return .focusPoint(x: x, y: y)
        }
        if first == "obj" {
            let classes = Array(arguments.dropFirst())
            guard !classes.isEmpty, classes.allSatisfy(DetectedObject.classes.contains) else { return nil }
            return .objects(Array(Set(classes)).sorted())
        }
        if arguments.count == 1, DetectedObject.classes.contains(first) { return .objects([first]) }
        guard arguments.count == 1 else { return nil }
        return tokens.first { $0.0 == first }?.1
    }

    /// Whether the position is found by looking at the pixels (smart or objects), so the image is
    /// read once to look and once to cut.
    public var isFound: Bool {
        switch self {
        case .smart, .objects: true
        default: false
        }
    }

    /// A human description of the accepted forms, for error messages.
    public static let expected = "one of ce, no, so, ea, we, noea, nowe, soea, sowe, sm, fp:x:y with x and y in 0...1, or obj:face (face)"

    /// Where a box of `inner` size sits inside `outer` for this gravity.
    ///
    /// Smart and object gravity have no fixed position and answer the centre.
    /// - Returns: the top-left corner of the inner box, clamped inside the outer one.
    public func offset(inner: (width: Int, height: Int), outer: (width: Int, height: Int)) -> (x: Int, y: Int) {
        let spareX = outer.width - inner.width, spareY = outer.height - inner.height
        func clamp(_ v: Int, _ spare: Int) -> Int { max(0, min(spare, v)) }
        switch self {
        case .centre, .smart, .objects: return (spareX / 2, spareY / 2)
        case .north: return (spareX / 2, 0)
        case .south: return (spareX / 2, spareY)
        case .east: return (spareX, spareY / 2)
        case .west: return (0, spareY / 2)
        case .northEast: return (spareX, 0)
        case .northWest: return (0, 0)
        case .southEast: return (spareX, spareY)
        case .southWest: return (0, spareY)
        case let .focusPoint(fx, fy):
            let x = Int((fx * Double(outer.width) - Double(inner.width) / 2).rounded())
            let y = Int((fy * Double(outer.height) - Double(inner.height) / 2).rounded())
            return (clamp(x, spareX), clamp(y, spareY))
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let gravity = Gravity.parse(ArraySlice(text.split(separator: ":").map(String.init))) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected \(Gravity.expected), got '\(text)'"))
        }
        self = gravity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
