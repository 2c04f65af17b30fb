import Foundation

extension DarkroomConfiguration {
    /// The configuration from the defaults, then the JSON `file`, then the `DARKROOM_*`
    /// variables of `environment`, then `flags` (setting name and text, as the option groups
    /// give them): the one resolver `serve` and `worker` share.
    /// - Throws: ``ConfigurationError`` naming the setting and what it expected.
    static func resolved(file: String?, environment: [String: String], flags: [(String, String)]) throws(ConfigurationError)
        -> DarkroomConfiguration {
        var configuration = Self.defaults
        if let file { try configuration.apply(try Self.settings(inFile: file)) }
        try configuration.apply(Self.settings(inEnvironment: environment))
        try configuration.apply(flags)
        return configuration
    }

    /// The value of one setting from its flag, else its `DARKROOM_*` variable, else its default,
    /// checked by the table: for commands that take one or two settings (`jobs`, `objects`),
    /// so that they agree with `serve` without reading every other variable.
    static func value(of name: String, flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> String {
        guard let setting = setting(named: name) else { preconditionFailure("no setting \(name)") }
        var configuration = Self.defaults
        if let text = environment[setting.environmentVariable] { try setting.apply(text, to: &configuration) }
        if let flag { try setting.apply(flag, to: &configuration) }
        return setting.value(in: configuration) ?? ""
    }

    /// Applies one source's settings. A list the source sets replaces the list it had (the
    /// default, or an earlier source's); within the source, its values add up.
    mutating func apply(_ values: [(String, String)]) throws(ConfigurationError) {
        var listsGiven: Set<String> = []
        for (name, text) in values {
            guard let setting = Self.setting(named: name) else {
                throw ConfigurationError(name, "a known setting (\(Self.settings.map(\.name).joined(separator: ", ")))", text)
            }
            if setting.kind == .list, listsGiven.insert(name).inserted { setting.clear(&self) }
            try setting.apply(text, to: &self)
        }
    }

    /// The settings a JSON config file gives: an object whose keys are setting names, with a
    /// list for a setting that takes several values; `presets` may be an object of name → options.
    static func settings(inFile path: String) throws(ConfigurationError) -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("config", "a readable JSON file", path)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigurationError("config", "a JSON object of settings", path)
        }
        var values: [(String, String)] = []
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            switch value {
            case let presets as [String: Any] where name == "presets":
                values += presets.sorted { $0.key < $1.key }.map { ("preset", "\($0.key)=\($0.value)") }
            case let items as [Any]:
                values += items.map { (name, "\($0)") }
            case let flag as Bool:
                values.append((name, flag ? "true" : "false"))
            default:
                values.append((name, "\(value)"))
            }
        }
        return values
    }

    /// The settings `DARKROOM_*` variables give (`DARKROOM_PRESETS` is `preset`).
    static func settings(inEnvironment environment: [String: String]) -> [(String, String)] {
        var values = settings.compactMap { setting in environment[setting.environmentVariable].map { (setting.name, $0) } }
        if let presets = environment["DARKROOM_PRESETS"] { values.append(("preset", presets)) }
        return values
    }
}
