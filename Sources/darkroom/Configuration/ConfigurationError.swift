/// A setting has a value it cannot take.
struct ConfigurationError: Error, CustomStringConvertible {
    let setting: String
    let expected: String
    let found: String

    init(_ setting: String, _ expected: String, _ found: String) {
        self.setting = setting
        self.expected = expected
        self.found = found
    }

    var description: String { "setting '\(setting)': expected \(expected), got '\(found)'" }
}
