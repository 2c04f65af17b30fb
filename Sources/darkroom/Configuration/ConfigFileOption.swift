import ArgumentParser

/// `--config FILE`: a JSON object of settings, read before the environment and the flags.
struct ConfigFileOption: ParsableArguments {
    @Option(help: "A JSON file of settings, by the same names as the flags.") var config: String?
}
