import ArgumentParser
import ImageProcessing

extension ExitCode {
    /// The exit code for a command whose images failed with `errors` (none: success).
    ///
    /// A source in a format Darkroom refuses is the CLI's counterpart of HTTP 415: the input,
    /// not the image, is wrong, so it is a usage error (2), like a bad recipe. Any other
    /// failure (a broken file, a limit, a store that cannot be read) is 1, and wins when both
    /// happen in one run, because then some image really failed.
    static func forImageFailures(_ errors: [any Error]) -> ExitCode {
        if errors.isEmpty { return .success }
        let refusedOnly = errors.allSatisfy { error in
            if case .unsupportedFormat = error as? ProcessingError { return true }
            return false
        }
        return ExitCode(refusedOnly ? 2 : 1)
    }
}
