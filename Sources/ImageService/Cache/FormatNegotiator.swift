import Foundation
public import ImageModel

/// Picks the output format for `auto` from the client's `Accept` header.
public struct FormatNegotiator: Sendable {
    /// Formats to offer, best first, when the client accepts them; AVIF then WebP by default.
    public let preference: [OutputFormat]

    /// Creates a negotiator.
    public init(preference: [OutputFormat] = [.avif, .webp]) {
        self.preference = preference
    }

    /// The first preferred format that `accept` allows with a non-zero q-value, or nil
    /// (then the processor picks JPEG or PNG by alpha).
    public func negotiate(accept: String?) -> OutputFormat? {
        guard let accept else { return nil }
        var accepted: Set<String> = []
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { accepted.insert(type) }
        }
        return preference.first { format in
            format.mimeType.map { accepted.contains($0) } ?? false
        }
    }
}
