import Foundation

/// A line chart as a few lines of SVG, drawn on the server from numbers only (so it is safe to
/// put into the page unescaped): no chart library, no script.
struct SVGChart {
    let title: String
    let values: [Double?]
    let width = 360.0
    let height = 90.0

    /// The largest value, as the caption shows it.
    var maximum: String {
        let top = values.compactMap { $0 }.max() ?? 0
        return top >= 100 ? String(Int(top.rounded())) : String(format: "%.2f", top)
    }

    /// The chart: one polyline per run of known values, scaled to the largest.
    var svg: String {
        let known = values.compactMap { $0 }
        let top = max(known.max() ?? 1, 1e-9)
        let step = values.count > 1 ? width / Double(values.count - 1) : 0
        var lines: [String] = []
        var points: [String] = []
        for (index, value) in values.enumerated() {
            guard let value else {
                if points.count > 1 { lines.append(points.joined(separator: " ")) }
                points = []
                continue
            }
            let x = Double(index) * step, y = height - 4 - (value / top) * (height - 8)
            points.append(String(format: "%.1f,%.1f", x, y))
        }
        if points.count > 1 { lines.append(points.joined(separator: " ")) }
        let polylines = lines.map { "<polyline fill=\"none\" stroke=\"#15a\" stroke-width=\"1.5\" points=\"\($0)\"/>" }.joined()
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fafbfd\"/>\(polylines)</svg>"
    }
}
