import ArgumentParser
import Foundation
import Pipelines

/// `darkroom config`: the settings `serve` would run with, and where each comes from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the settings serve would run with, resolved from defaults, --config, DARKROOM_* and flags.",
        discussion: """
            Takes serve's flags. Prints one JSON object, setting name → value (null when unset);
            keys, salts and the API token print as "(set)". Exits 2 when a setting is invalid,
            naming it, as serve would.

            Example:
              DARKROOM_PORT=9000 darkroom config --formats webp
            """)

    @OptionGroup var serve: ServeOptions

    func run() throws {
        let resolved = try serve.validatedConfiguration()
        var values: [String: Nullable<String>] = [:]
        for setting in DarkroomConfiguration.settings {
            let value = setting.value(in: resolved).flatMap { $0.isEmpty ? nil : $0 }
            values[setting.name] = Nullable(setting.isSecret && value != nil ? "(set)" : value)
        }
        let json = try WireFormat.encoder(pretty: true).encode(values)
        print(String(decoding: json, as: UTF8.self))
    }
}
