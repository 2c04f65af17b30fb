import Foundation
import Similarity

/// What `darkroom dedupe` found: every matching pair, and the clusters the pairs join.
struct DuplicateReport: Encodable {
    /// Two images that match, `a` found before `b`.
    struct Pair: Encodable {
        let a: String
        let b: String
        let score: Double
        let match: MatchKind
    }

    let pairs: [Pair]
    /// Images joined by pairs, each cluster in the order found; clusters by their first image.
    let groups: [[String]]

    /// The report of `pairs` among `paths` (in the order found).
    init(pairs: [Pair], paths: [String]) {
        self.pairs = pairs
        var parent = Dictionary(uniqueKeysWithValues: paths.map { ($0, $0) })
        func root(_ path: String) -> String {
            var current = path
            while let next = parent[current], next != current { current = next }
            return current
        }
        for pair in pairs {
            let (first, second) = (root(pair.a), root(pair.b))
            if first != second { parent[second] = first }
        }
        let order = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
        let clusters = Dictionary(grouping: paths.filter { parent[$0] != nil }, by: root).values.filter { $0.count > 1 }
        groups = clusters.map { $0.sorted { order[$0]! < order[$1]! } }.sorted { order[$0[0]]! < order[$1[0]]! }
    }

    /// `a,b,score,match` rows under a header; fields quoted as RFC 4180 says.
    var csv: String {
        func field(_ text: String) -> String {
            text.contains { $0 == "," || $0 == "\"" || $0 == "\n" } ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return (["a,b,score,match"] + pairs.map { "\(field($0.a)),\(field($0.b)),\(String(format: "%.4f", $0.score)),\($0.match.rawValue)" })
            .joined(separator: "\n") + "\n"
    }

    /// A page with each group's thumbnails side by side; `thumbnail` gives a small JPEG of a path.
    func html(thumbnail: (String) async -> Data?) async -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var page = """
            <!doctype html><html><head><meta charset="utf-8"><title>Duplicates</title><style>
            body{font-family:sans-serif;margin:2em}section{margin-bottom:2em}figure{display:inline-block;margin:0 1em 1em 0;
            vertical-align:top;max-width:180px}img{max-width:160px;max-height:160px;display:block}figcaption{font-size:12px;
            word-break:break-all}</style></head><body><h1>\(groups.count) groups of duplicates, \(pairs.count) pairs</h1>

            """
        for (number, group) in groups.enumerated() {
            page += "<section><h2>Group \(number + 1)</h2>\n"
            for path in group {
                let image = await thumbnail(path).map { "<img src=\"data:image/jpeg;base64,\($0.base64EncodedString())\" alt=\"\">" }
                    ?? "<p>(no preview)</p>"
                page += "<figure>\(image)<figcaption>\(escape(path))</figcaption></figure>\n"
            }
            page += "</section>\n"
        }
        return page + "</body></html>\n"
    }
}
