public import Yams

/// Reads the nodes of a YAML (or JSON) spec field by field, so that every error names the
/// field's path (`outputs[1].recipe`) and what was expected there. Each kind of spec (a
/// pipeline, a model) reports through its own error type: `fail` makes one from a path and an
/// expectation. Unknown fields are errors: a typo must not silently drop a setting.
public struct SpecNodes<Failure: Error>: Sendable {
    /// Makes the spec's error for a field path and what was expected there.
    public let fail: @Sendable (_ field: String, _ expected: String) -> Failure

    /// A reader whose errors `fail` makes.
    public init(fail: @escaping @Sendable (_ field: String, _ expected: String) -> Failure) {
        self.fail = fail
    }

    /// The path of the whole document, as errors name it.
    public static var document: String { "(document)" }

    /// The document `text` as a mapping of the `allowed` top-level fields.
    public func document(_ text: String, allowed: Set<String>, expected: String) throws(Failure) -> [String: Node] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw fail(Self.document, "valid YAML or JSON (\(error))") }
        guard let root else { throw fail(Self.document, expected) }
        return try mapping(root, Self.document, allowed: allowed)
    }

    /// A mapping's fields, each one of `allowed`, each once, none an alias.
    public func mapping(_ node: Node, _ field: String, allowed: Set<String>) throws(Failure) -> [String: Node] {
        guard case let .mapping(mapping) = node else { throw fail(field, "a mapping") }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar = key, let name = key.string else { throw fail(field, "text keys") }
            let path = field == Self.document ? name : "\(field).\(name)"
            guard allowed.contains(name) else { throw fail(path, "no such field; known fields are \(allowed.sorted().joined(separator: ", "))") }
            guard fields[name] == nil else { throw fail(path, "one value, not two") }
            if case .alias = value { throw fail(path, "a value, not an alias") }
            fields[name] = value
        }
        return fields
    }

    /// A list's items; none when the field is absent.
    public func sequence(_ node: Node?, _ field: String) throws(Failure) -> [Node] {
        guard let node else { return [] }
        guard case let .sequence(sequence) = node else { throw fail(field, "a list") }
        return Array(sequence)
    }

    /// Non-empty text; nil when the field is absent and not `required`.
    public func string(_ node: Node?, _ field: String, required: Bool = false) throws(Failure) -> String? {
        guard let node else {
            if required { throw fail(field, "a value (it is required)") }
            return nil
        }
        guard case .scalar = node, let text = node.string, !text.isEmpty else { throw fail(field, "text") }
        return text
    }

    /// A whole number; nil when the field is absent.
    public func integer(_ node: Node?, _ field: String) throws(Failure) -> Int? {
        guard let node else { return nil }
        guard let value = node.int else { throw fail(field, "a whole number") }
        return value
    }

    /// A finite number; nil when the field is absent.
    public func number(_ node: Node?, _ field: String) throws(Failure) -> Double? {
        guard let node else { return nil }
        guard let value = node.float, value.isFinite, value.magnitude < 1e12 else { throw fail(field, "a number") }
        return value
    }

    /// One of `choices` (by raw value); nil when the field is absent.
    public func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node?, _ field: String,
                                                                 of _: Choice.Type) throws(Failure) -> Choice?
    where Choice.RawValue == String {
        guard let text = try string(node, field) else { return nil }
        guard let value = Choice(rawValue: text) else {
            throw fail(field, "one of \(Choice.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }
}
