import Foundation

/// One setting, defined once: its name (the flag `--name`, the variable `DARKROOM_NAME` and the
/// config file's key), its help, how its text is parsed and checked, and how its default reads.
///
/// ``DarkroomConfiguration/settings`` is the table of them; flags, the environment and the
/// config file are all read through it, so the three cannot disagree.
struct Setting: Sendable {
    /// How the setting takes values.
    enum Kind: Sendable {
        /// One value; a later source replaces an earlier one.
        case value
        /// On or off; as a flag it takes no value.
        case toggle
        /// A list: within one source values add up (repeat the flag, or comma-separate);
        /// a later source replaces the list of an earlier one.
        case list
        /// Named entries (`name=value`): every source adds to or replaces entries by name.
        case entries
    }

    let name: String
    let help: String
    let kind: Kind
    /// Whether its value is a secret (a key, a token): `darkroom config` prints only that it is set.
    private(set) var isSecret = false
    /// The default as help should say it, where it depends on the machine ("one per core").
    private(set) var defaultText: String?
    private let parse: @Sendable (inout DarkroomConfiguration, String) throws(ConfigurationError) -> Void
    private let reset: @Sendable (inout DarkroomConfiguration) -> Void
    private let show: @Sendable (DarkroomConfiguration) -> String?

    init(_ name: String, help: String, kind: Kind = .value,
         show: @escaping @Sendable (DarkroomConfiguration) -> String? = { _ in nil },
         reset: @escaping @Sendable (inout DarkroomConfiguration) -> Void = { _ in },
         parse: @escaping @Sendable (inout DarkroomConfiguration, String) throws(ConfigurationError) -> Void) {
        self.name = name
        self.help = help
        self.kind = kind
        self.parse = parse
        self.reset = reset
        self.show = show
    }

    /// `DARKROOM_` and the name in upper case with `_` for `-`.
    var environmentVariable: String { "DARKROOM_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// The help with the default, as the defaults say it today.
    var helpWithDefault: String {
        guard let value = defaultText ?? show(DarkroomConfiguration.defaults), !value.isEmpty, value != "false" else { return help }
        return "\(help) (default \(value))"
    }

    /// The setting's value in `configuration` as text; nil when it has none.
    func value(in configuration: DarkroomConfiguration) -> String? {
        show(configuration)
    }

    /// This setting, marked secret.
    func secret() -> Setting {
        var setting = self
        setting.isSecret = true
        return setting
    }

    /// Sets this setting in `configuration` from its text.
    /// - Throws: ``ConfigurationError`` naming the setting and what was expected.
    func apply(_ text: String, to configuration: inout DarkroomConfiguration) throws(ConfigurationError) {
        try parse(&configuration, text)
    }

    /// Puts a list back to its default, before a later source gives it anew.
    func clear(_ configuration: inout DarkroomConfiguration) {
        reset(&configuration)
    }
}

// MARK: Kinds of value

extension Setting {
    typealias Field<Value> = WritableKeyPath<DarkroomConfiguration, Value>

    /// A whole number in `range`; `shown` says the default where it depends on the machine.
    static func integer(_ name: String, _ field: Field<Int>, in range: ClosedRange<Int> = 0...Int.max, shown: String? = nil,
                        help: String) -> Setting {
        nonisolated(unsafe) let field = field
        let expected = range.upperBound == Int.max ? "a whole number ≥ \(range.lowerBound)" : "a whole number in \(range)"
        var setting = Setting(name, help: help, show: { "\($0[keyPath: field])" }) { configuration, text throws(ConfigurationError) in
            guard let value = Int(text), range.contains(value) else { throw ConfigurationError(name, expected, text) }
            configuration[keyPath: field] = value
        }
        setting.defaultText = shown
        return setting
    }

    /// A number (seconds, a factor) in `range`; `expected` says it in words.
    static func number(_ name: String, _ field: Field<Double>, in range: ClosedRange<Double>, expected: String,
                       help: String) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, show: { Self.format($0[keyPath: field]) }) { configuration, text throws(ConfigurationError) in
            guard let value = Double(text), range.contains(value) else { throw ConfigurationError(name, expected, text) }
            configuration[keyPath: field] = value
        }
    }

    /// Text, optionally checked by `isValid` (`expected` says what passes).
    static func text(_ name: String, _ field: Field<String>, expected: String = "", help: String,
                     isValid: @escaping @Sendable (String) -> Bool = { _ in true }) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, show: { $0[keyPath: field] }) { configuration, text throws(ConfigurationError) in
            guard isValid(text) else { throw ConfigurationError(name, expected, text) }
            configuration[keyPath: field] = text
        }
    }

    /// Text with no default, optionally checked by `isValid`.
    static func optionalText(_ name: String, _ field: Field<String?>, expected: String = "", help: String,
                             isValid: @escaping @Sendable (String) -> Bool = { _ in true }) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, show: { $0[keyPath: field] }) { configuration, text throws(ConfigurationError) in
            guard isValid(text) else { throw ConfigurationError(name, expected, text) }
            configuration[keyPath: field] = text
        }
    }

    /// On or off: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`; empty is on.
    static func toggle(_ name: String, _ field: Field<Bool>, help: String) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, kind: .toggle, show: { "\($0[keyPath: field])" }) { configuration, text throws(ConfigurationError) in
            switch text.lowercased() {
            case "1", "true", "yes", "on", "": configuration[keyPath: field] = true
            case "0", "false", "no", "off": configuration[keyPath: field] = false
            default: throw ConfigurationError(name, "true or false", text)
            }
        }
    }

    /// A comma-separated list, each item checked by `item` (which may convert it).
    static func list<Item>(_ name: String, _ field: Field<[Item]>, help: String,
                           item: @escaping @Sendable (String) throws(ConfigurationError) -> Item) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, kind: .list, show: { configuration in
            let items = configuration[keyPath: field].map { "\($0)" }
            return items.isEmpty ? nil : items.joined(separator: ",")
        }, reset: { $0[keyPath: field] = [] }) { configuration, text throws(ConfigurationError) in
            for part in text.split(separator: ",") {
                configuration[keyPath: field].append(try item(part.trimmingCharacters(in: .whitespaces)))
            }
        }
    }

    /// `name=value` entries separated by `separator`, each name accepted by `isKey` and each
    /// value made by `value`.
    static func entries<Value>(_ name: String, _ field: Field<[String: Value]>, separator: Character = ",",
                               expected: String, help: String, isKey: @escaping @Sendable (String) -> Bool = { _ in true },
                               value: @escaping @Sendable (String) -> Value?) -> Setting {
        nonisolated(unsafe) let field = field
        return Setting(name, help: help, kind: .entries, show: { configuration in
            let entries = configuration[keyPath: field].sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return entries.isEmpty ? nil : entries.joined(separator: ",")
        }) { configuration, text throws(ConfigurationError) in
            for entry in text.split(separator: separator) {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, isKey(parts[0]), let parsed = value(parts[1]) else {
                    throw ConfigurationError(name, expected, String(entry))
                }
                configuration[keyPath: field][parts[0]] = parsed
            }
        }
    }

    /// `12`, not `12.0`; `0.5` stays.
    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
