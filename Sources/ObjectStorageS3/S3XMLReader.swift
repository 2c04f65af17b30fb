/// Reads the XML that S3 answers with into ``S3XMLNode``s: elements (attributes skipped), text,
/// the five predefined entities and character references, CDATA, comments and the XML
/// declaration. A document type declaration is refused, so no entity can expand; so is anything
/// not well-formed (mismatched or unclosed tags, a stray `<` or `&`, two roots), and nesting
/// deeper than ``maxDepth`` (S3's documents are 4 deep; a hostile endpoint must not recurse the
/// reader off its stack).
struct S3XMLReader {
    static let maxDepth = 32
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte-order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// The document's root element, or nil.
    mutating func document() -> S3XMLNode? {
        guard skipMisc(), index < bytes.count, let root = element() else { return nil }
        guard skipMisc(), index == bytes.count else { return nil }
        return root
    }

    /// Skips white space, comments and processing instructions (the declaration); false on a
    /// malformed one or a DOCTYPE.
    private mutating func skipMisc() -> Bool {
        while true {
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
            if starts(with: "<?") {
                guard skip(past: "?>") else { return false }
            } else if starts(with: "<!--") {
                guard skip(past: "-->") else { return false }
            } else if starts(with: "<!") {
                return false
            } else {
                return true
            }
        }
    }

    /// One element from its `<` to the end of its closing tag.
    private mutating func element() -> S3XMLNode? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<"), depth < Self.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        index += 1
        guard let name = name() else { return nil }
        var node = S3XMLNode(name: name)
        // Attributes: S3 sends only namespace declarations, which nothing reads; skip them,
        // minding quotes so a `>` inside a value does not end the tag.
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "<") {
                return nil
            } else if byte == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index - 1] == UInt8(ascii: "/"), quote == nil {
            index += 1
            return node
        }
        index += 1
        var text: [UInt8] = []
        while index < bytes.count {
            if starts(with: "</") {
                index += 2
                guard self.name() == name else { return nil }
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
                index += 1
                node.text = String(decoding: text, as: UTF8.self)
                return node
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                guard skip(past: "]]>") else { return nil }
                text += bytes[start..<(index - 3)]
            } else if starts(with: "<!--") {
                guard skip(past: "-->") else { return nil }
            } else if starts(with: "<?") {
                guard skip(past: "?>") else { return nil }
            } else if bytes[index] == UInt8(ascii: "<") {
                guard let child = element() else { return nil }
                node.children.append(child)
            } else if bytes[index] == UInt8(ascii: "&") {
                guard let scalar = reference() else { return nil }
                text += Array(String(Character(scalar)).utf8)
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        return nil
    }

    /// An element name (a qualified one keeps its prefix, as `XMLParser` gave it).
    private mutating func name() -> String? {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if Self.isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                break
            }
            index += 1
        }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// An entity or character reference from its `&` to its `;`.
    private mutating func reference() -> Unicode.Scalar? {
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let value: UInt32?
            if body.hasPrefix("#x") {
                value = UInt32(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("#") {
                value = UInt32(body.dropFirst(), radix: 10)
            } else {
                value = nil
            }
            return value.flatMap(Unicode.Scalar.init)
        }
    }

    private func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        return text.withUTF8Buffer { prefix in prefix.elementsEqual(bytes[index..<(index + count)]) }
    }

    /// Moves past the next `text`; false when there is none.
    private mutating func skip(past text: StaticString) -> Bool {
        while index < bytes.count {
            if starts(with: text) {
                index += text.utf8CodeUnitCount
                return true
            }
            index += 1
        }
        return false
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
