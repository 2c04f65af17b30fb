import Foundation
import PropertyBased
import Testing
@testable import ObjectStorageS3

@Suite("S3 XML reader")
struct S3XMLReaderTests {
    @Test("a ListObjectsV2 answer as S3 writes it: declaration, namespace, entities, empty and self-closed elements")
    func listing() throws {
        let xml = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix></Prefix><IsTruncated>true</IsTruncated>
              <NextContinuationToken>a&amp;b&#x3D;&#61;</NextContinuationToken>
              <!-- a comment -->
              <Contents><Key>photos/caf&#233; &lt;1&gt;.jpg</Key><Size>42</Size><ETag>&quot;abc&quot;</ETag><Owner/></Contents>
              <Contents><Key><![CDATA[raw <b>&amp;</b>]]></Key><Size>7</Size></Contents>
            </ListBucketResult>
            """
        let root = try #require(S3XMLNode.parse(Data(xml.utf8)))
        #expect(root.name == "ListBucketResult")
        #expect(root.value("Name") == "bucket" && root.value("Prefix") == "")
        #expect(root.value("NextContinuationToken") == "a&b==")
        let contents = root.children("Contents")
        #expect(contents.map { $0.value("Key") } == ["photos/café <1>.jpg", "raw <b>&amp;</b>"])
        #expect(contents.first?.value("ETag") == "\"abc\"")
        #expect(contents.first?.child("Owner")?.children == [])
    }

    @Test("malformed documents and document types are refused", arguments: [
        "", "   ", "<a>", "<a></b>", "<a><b></a></b>", "<a>x</a><b/>", "text", "<a>&unknown;</a>", "<a>&#xZZ;</a>",
        "<a>& b</a>", "<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>", "<a><!-- never closed </a>", "<a><![CDATA[open</a>",
        "<a x=\"1>", "<a>1</a >trailing", "<>x</>",
    ])
    func malformed(xml: String) {
        #expect(S3XMLNode.parse(Data(xml.utf8)) == nil)
    }

    @Test("nesting deeper than S3 ever sends is refused, not recursed into")
    func deep() {
        let deep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        #expect(S3XMLNode.parse(Data(deep.utf8)) == nil)
        let fine = String(repeating: "<a>", count: 8) + "x" + String(repeating: "</a>", count: 8)
        #expect(S3XMLNode.parse(Data(fine.utf8)) != nil)
    }

    @Test("any tree of names and texts, escaped as S3 escapes, reads back the same")
    func roundTrip() async {
        let names = ["Key", "Size", "Contents", "s3:Error", "Code", "Message", "ETag"]
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 1...40)) { values in
            var stream = values.makeIterator()
            func text() -> String {
                let count = (stream.next() ?? 0) % 6
                return String((0..<count).map { _ in
                    let pick = stream.next() ?? 0
                    let alphabet = Array("ab <>&\"'é€😀\t;#x")
                    return alphabet[pick % alphabet.count]
                })
            }
            func tree(depth: Int) -> S3XMLNode {
                let name = names[(stream.next() ?? 0) % names.count]
                let childCount = depth > 2 ? 0 : (stream.next() ?? 0) % 3
                let children = (0..<childCount).map { _ in tree(depth: depth + 1) }
                return S3XMLNode(name: name, text: children.isEmpty ? text() : "", children: children)
            }
            func escaped(_ text: String) -> String {
                text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            }
            func write(_ node: S3XMLNode) -> String {
                "<\(node.name)>\(escaped(node.text))\(node.children.map(write).joined())</\(node.name)>"
            }
            let node = tree(depth: 0)
            #expect(S3XMLNode.parse(Data(("<?xml version=\"1.0\"?>\n" + write(node)).utf8)) == node)
        }
    }
}
