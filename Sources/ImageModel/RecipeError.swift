/// Why a recipe string or value is not valid. It names the option and what was expected.
public struct RecipeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The option as written (`rs`, `quality`…), or the operation's name for typed recipes.
    public let option: String
    /// What was expected, in words.
    public let expected: String
    /// What was found, when there is something to show.
    public let found: String?

    /// Creates an error for `option`.
    public init(option: String, expected: String, found: String? = nil) {
        self.option = option
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let got = found.map { ", got '\($0)'" } ?? ""
        return "option '\(option)': expected \(expected)\(got)"
    }
}
