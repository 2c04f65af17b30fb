import Foundation
/// Where an output is stored: a key with placeholders, such as `derivatives/{image_id}/{name}.{ext}`.
///
/// Placeholders: `{image_id}` (the source's content hash), `{name}` (the output's name),
/// `{ext}` (the encoded format's extension), `{pipeline}`, `{version}` and `{source_name}`
/// (the source's file name without its extension).
public struct KeyTemplate: Sendable, Equatable, CustomStringConvertible {
    public static let placeholders: Set<String> = ["image_id", "name", "ext", "pipeline", "version", "source_name"]

    /// The template as written.
    public let template: String

    /// Parses a template. - Throws: a message naming an unknown or unclosed placeholder.
    public init(_ template: String) throws(KeyTemplateError) {
        guard !template.isEmpty, !template.hasPrefix("/") else { throw KeyTemplateError("a relative key, such as derivatives/{image_id}/{name}.{ext}") }
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw KeyTemplateError("a closing } after \(rest[open...])") }
            let name = String(rest[rest.index(after: open)..<close])
            guard Self.placeholders.contains(name) else {
                throw KeyTemplateError("placeholders among \(Self.placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")), not {\(name)}")
            }
            rest = rest[rest.index(after: close)...]
        }
        self.template = template
    }

    /// The key for these values.
    public func render(_ values: [String: String]) -> String {
        var key = template
        for (name, value) in values { key = key.replacingOccurrences(of: "{\(name)}", with: value) }
        return key
    }

    public var description: String { template }
}

/// What a key template should have been.
public struct KeyTemplateError: Error, Sendable {
    public let expected: String
    init(_ expected: String) { self.expected = expected }
}
