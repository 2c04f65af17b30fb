import Foundation
public import ImageModel

/// Lists the formats `auto` may use beyond JPEG and PNG, from the client's `Accept` header;
/// the image's content then picks among them (``OutputSpec/autoFormats``).
public struct FormatNegotiator: Sendable {
    /// Formats to offer, best first, when the client accepts them; AVIF then WebP by default.
    public let preference: [OutputFormat]

    /// Creates a negotiator.
    public init(preference: [OutputFormat] = [.avif, .webp]) {
        self.preference = preference
    }

    /// The preferred formats that `accept` allows with a non-zero q-value, best first (empty
    /// when it allows none, or says nothing: then only JPEG and PNG are safe).
    public func accepted(accept: String?) -> [OutputFormat] {
        guard let accept else { return [] }
        var accepted: Set<String> = []
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { accepted.insert(type) }
        }
        return preference.filter { format in
            format.mimeType.map { accepted.contains($0) } ?? false
        }
    }
}
