import Foundation

/// A parsed XML element: just enough structure for S3's small response documents.
///
/// It is read by ``S3XMLReader``, not Foundation's `XMLParser`: that one lives in FoundationXML,
/// which links libxml2 and, through it, Debian's ICU (37 MB), the largest part of the container
/// image that nothing else needs.
struct S3XMLNode: Equatable {
    var name: String
    var text = ""
    var children: [S3XMLNode] = []

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLNode? { children.first { $0.name == name } }

    /// Every child named `name`.
    func children(_ name: String) -> [S3XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Parses `data`, or returns nil when it is not well-formed XML of the kind S3 sends.
    static func parse(_ data: Data) -> S3XMLNode? {
        var reader = S3XMLReader(bytes: Array(data))
        return reader.document()
    }
}
