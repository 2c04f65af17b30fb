/// The arguments of one `name:arg:arg` clause, with typed accessors whose errors name the option.
struct OptionArguments {
    let option: String
    let values: [String]

    var count: Int { values.count }

    func expectCount(_ range: ClosedRange<Int>, _ what: String) throws(RecipeError) {
        guard range.contains(values.count) else {
            throw RecipeError(option: option, expected: what, found: values.joined(separator: ":"))
        }
    }

    func has(_ index: Int) -> Bool { index < values.count && !values[index].isEmpty }

    func int(_ index: Int, _ name: String, in range: ClosedRange<Int> = -1_000_000...1_000_000) throws(RecipeError) -> Int {
        let text = index < values.count ? values[index] : ""
        guard let value = Int(text), range.contains(value) else {
            throw RecipeError(option: option, expected: "\(name) as an integer in \(range.lowerBound)...\(range.upperBound)", found: text)
        }
        return value
    }

    func double(_ index: Int, _ name: String, in range: ClosedRange<Double> = -1e6...1e6) throws(RecipeError) -> Double {
        let text = index < values.count ? values[index] : ""
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw RecipeError(option: option,
                              expected: "\(name) as a number in \(NumberFormat.format(range.lowerBound))...\(NumberFormat.format(range.upperBound))",
                              found: text)
        }
        return value
    }

    func bool(_ index: Int, _ name: String) throws(RecipeError) -> Bool {
        let text = index < values.count ? values[index] : ""
        switch text.lowercased() {
        case "1", "t", "true": return true
        case "0", "f", "false": return false
        default: throw RecipeError(option: option, expected: "\(name) as 1/0, t/f or true/false", found: text)
        }
    }

    func color(_ index: Int, _ name: String) throws(RecipeError) -> Color {
        let text = index < values.count ? values[index] : ""
        guard let color = Color(hex: text) else {
            throw RecipeError(option: option, expected: "\(name) as rrggbb or rrggbbaa hex", found: text)
        }
        return color
    }

    /// The colour imgproxy accepts for `bg`: three decimal components or one hex value.
    func background() throws(RecipeError) -> Color {
        if values.count == 3 {
            return Color(red: UInt8(try int(0, "red", in: 0...255)), green: UInt8(try int(1, "green", in: 0...255)),
                         blue: UInt8(try int(2, "blue", in: 0...255)))
        }
        try expectCount(1...1, "a colour as R:G:B (0-255 each) or rrggbb[aa] hex")
        return try color(0, "colour")
    }

    func gravity(from index: Int) throws(RecipeError) -> Gravity {
        let rest = values.count > index ? values[index...] : []
        guard let gravity = Gravity.parse(rest) else {
            throw RecipeError(option: option, expected: "gravity as \(Gravity.expected)", found: rest.joined(separator: ":"))
        }
        return gravity
    }

    func resizeMode(_ index: Int) throws(RecipeError) -> ResizeMode {
        let text = index < values.count ? values[index] : ""
        guard let mode = ResizeMode(rawValue: text) else {
            throw RecipeError(option: option, expected: "resizing type as one of fit, fill, fill-down, force, auto", found: text)
        }
        return mode
    }
}
