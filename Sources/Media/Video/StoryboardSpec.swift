import Foundation

/// How a storyboard samples a video and lays out its sprite sheets: a tile every `every`
/// seconds, `width` pixels across (height in the video's proportion), `columns` by `rows` a sheet.
public struct StoryboardSpec: Sendable, Equatable, Codable {
    /// Seconds between tiles.
    public var every: Double
    /// Tile width in pixels.
    public var width: Int
    /// Tiles across a sheet.
    public var columns: Int
    /// Tile rows a sheet holds before the next sheet starts.
    public var rows: Int
    /// The most tiles a storyboard may have; a longer video needs a larger `every`.
    public var maxTiles: Int

    /// The ranges each value must lie in, named in errors.
    public static let everyRange = 0.1...3600.0
    public static let widthRange = 16...1024
    public static let gridRange = 1...50
    public static let maxTilesRange = 1...10_000

    /// Creates and validates a spec.
    ///
    /// - Throws: ``MediaError/unsupported(_:)`` naming the value out of range and the range.
    public init(every: Double = 2, width: Int = 160, columns: Int = 10, rows: Int = 10, maxTiles: Int = 1000) throws(MediaError) {
        guard Self.everyRange.contains(every) else { throw .unsupported("storyboard: every must be 0.1 to 3600 seconds, not \(every)") }
        guard Self.widthRange.contains(width) else { throw .unsupported("storyboard: width must be 16 to 1024 pixels, not \(width)") }
        guard Self.gridRange.contains(columns) else { throw .unsupported("storyboard: columns must be 1 to 50, not \(columns)") }
        guard Self.gridRange.contains(rows) else { throw .unsupported("storyboard: rows must be 1 to 50, not \(rows)") }
        guard Self.maxTilesRange.contains(maxTiles) else { throw .unsupported("storyboard: max_tiles must be 1 to 10000, not \(maxTiles)") }
        self.every = every
        self.width = width
        self.columns = columns
        self.rows = rows
        self.maxTiles = maxTiles
    }

    /// Reads a duration as pipeline specs write it: `2s`, `1.5`, `500ms`, `1m`.
    ///
    /// - Returns: seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where trimmed.hasSuffix(suffix) {
            return Double(trimmed.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(trimmed)
    }
}
