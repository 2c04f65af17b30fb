import Foundation
import Inference

/// The HTML page of an audit: a bar chart per metric, one bar per group, and the disparities.
enum AuditReport {
    static func html(_ audit: ModelAudit) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var metrics: [(String, (ModelAudit.Group) -> Double?)] = [("accuracy", { $0.accuracy })]
        let classes = audit.groups.first.map { Array($0.classes.keys).sorted() } ?? []
        for label in classes {
            metrics.append(("\(label): recall", { $0.classes[label]?.recall }))
            metrics.append(("\(label): precision", { $0.classes[label]?.precision }))
            metrics.append(("\(label): false-positive rate", { $0.classes[label]?.falsePositiveRate }))
            metrics.append(("\(label): false-negative rate", { $0.classes[label]?.falseNegativeRate }))
        }
        var page = """
            <!doctype html><html><head><meta charset="utf-8"><title>Audit of \(escape(audit.model))</title>
            <style>body{font-family:sans-serif;margin:2em}svg{display:block;margin-bottom:1.5em}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head><body>
            <h1>Audit of \(escape(audit.model)) by \(escape(audit.groupBy))</h1>
            <p>\(audit.groups.map { "\(escape($0.name)): \($0.count) images" }.joined(separator: " · "))</p>
            <h2>Disparities</h2><table><tr><th>metric</th><th>highest</th><th>lowest</th><th>ratio</th></tr>
            """
        for disparity in audit.disparities {
            let ratio = disparity.ratio.isFinite ? String(format: "%.2f", disparity.ratio) : "∞"
            page += "<tr><td>\(escape(disparity.metric))</td><td>\(escape(disparity.highest))</td><td>\(escape(disparity.lowest))</td><td>\(ratio)</td></tr>"
        }
        page += "</table>"
        for (name, value) in metrics {
            let bars = audit.groups.enumerated().map { index, group -> String in
                let number = value(group)
                let width = Int(((number ?? 0) * 300).rounded())
                let shown = number.map { String(format: "%.3f", $0) } ?? "n/a"
                return """
                    <text x="0" y="\(index * 24 + 16)">\(escape(group.name))</text>\
                    <rect x="120" y="\(index * 24 + 4)" width="\(width)" height="16" fill="#4a7bd0"/>\
                    <text x="\(126 + width)" y="\(index * 24 + 16)">\(shown)</text>
                    """
            }
            page += "<h3>\(escape(name))</h3><svg width=\"520\" height=\"\(audit.groups.count * 24 + 8)\">\(bars.joined())</svg>"
        }
        return page + "</body></html>\n"
    }
}
