import ArgumentParser

/// A group of command-line options, each named after the setting it gives (`maxSrcBytes` is
/// `--max-src-bytes`, the setting `max-src-bytes`). Options are declared as text (`String?`,
/// `[String]`) or as switches (`Bool` flags) and parsed by the settings table, so a flag is
/// checked, and its error worded, exactly as the same setting from the environment or a file.
protocol SettingGroup: ParsableArguments {}

extension SettingGroup {
    /// The settings given on the command line, in declaration order.
    var givenSettings: [(String, String)] {
        Mirror(reflecting: self).children.flatMap { child -> [(String, String)] in
            guard let label = child.label, label.hasPrefix("_") else { return [] }
            let name = Self.settingName(String(label.dropFirst()))
            switch child.value {
            case let option as Option<String?>: return option.wrappedValue.map { [(name, $0)] } ?? []
            case let option as Option<[String]>: return option.wrappedValue.map { (name, $0) }
            case let flag as Flag<Bool>: return flag.wrappedValue ? [(name, "true")] : []
            default: return []
            }
        }
    }

    /// `maxSrcBytes` → `max-src-bytes`, `publicURL` → `public-url`: ArgumentParser's own
    /// spelling of a property as a flag.
    static func settingName(_ property: String) -> String {
        var name = ""
        var previous: Character?
        for character in property {
            if character.isUppercase, previous?.isLowercase == true || previous?.isNumber == true { name.append("-") }
            name.append(contentsOf: character.lowercased())
            previous = character
        }
        return name
    }
}

extension ArgumentHelp {
    /// The help of the setting `name` from the table, with its default.
    static func setting(_ name: String) -> ArgumentHelp {
        ArgumentHelp(settingHelp[name] ?? "")
    }

    /// Every setting's help, worked out once: ArgumentParser builds the option groups many
    /// times over while it parses and validates, and each build asks for every help text.
    private static let settingHelp = Dictionary(uniqueKeysWithValues: DarkroomConfiguration.settings.map {
        ($0.name, $0.helpWithDefault)
    })
}
