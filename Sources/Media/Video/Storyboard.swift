public import Foundation
import ImageModel
public import Vips

/// Sprite sheets of a video's frames at regular times and the WebVTT file that maps each span of
/// time to its tile (`sheet.jpg#xywh=x,y,w,h`), which video players read for scrubbing previews.
public struct Storyboard {
    /// What was made: sheet names in order, the WebVTT text, and the tiles.
    public struct Result: Sendable, Equatable {
        /// The sheets' names, as the WebVTT file refers to them.
        public let sheets: [String]
        /// The WebVTT file.
        public let webVTT: String
        /// How many tiles the sheets hold.
        public let tiles: Int
        /// Tile width and height in pixels.
        public let tileWidth: Int
        public let tileHeight: Int
    }

    public let spec: StoryboardSpec
    /// The sheets' JPEG quality.
    public let quality: Int

    /// A storyboard maker.
    public init(spec: StoryboardSpec, quality: Int = 80) {
        self.spec = spec
        self.quality = quality
    }

    /// Samples `source` and hands each sheet to `store` as it fills (`name(index)` names it),
    /// so that at most one sheet's tiles are held at a time.
    ///
    /// - Throws: ``MediaError``: a video too long for `max_tiles` at this interval (before any
    ///   frame is decoded), or what decoding or `store` threw.
    public func make(from source: VideoSource, name: (Int) -> String,
                     store: (String, Data) throws(MediaError) -> Void) throws(MediaError) -> Result {
        let duration = source.attributes.duration
        let expected = duration > 0 ? Int((duration / spec.every).rounded(.up)) : spec.maxTiles
        guard expected <= spec.maxTiles else {
            throw .unsupported("storyboard: a \(duration)-second video every \(spec.every) s makes \(expected) tiles, over max_tiles \(spec.maxTiles); raise every")
        }
        let perSheet = spec.columns * spec.rows
        var tiles: [VipsImage] = []
        var times: [Double] = []
        var sheets: [String] = []
        var tileSize = (width: spec.width, height: 0)
        func flush() throws(MediaError) {
            guard !tiles.isEmpty else { return }
            let sheetName = name(sheets.count)
            try store(sheetName, try compose(tiles))
            sheets.append(sheetName)
            tiles.removeAll(keepingCapacity: true)
        }
        try source.frames(every: spec.every, limit: spec.maxTiles, width: spec.width) { (seconds, tile) throws(MediaError) in
            tileSize = (tile.width, tile.height)
            tiles.append(tile)
            times.append(seconds)
            if tiles.count == perSheet { try flush() }
        }
        try flush()
        return Result(sheets: sheets, webVTT: webVTT(count: times.count, sheets: sheets, tile: tileSize, duration: duration),
                      tiles: times.count, tileWidth: tileSize.width, tileHeight: tileSize.height)
    }

    /// One sheet: tiles row by row, `columns` across, as many rows as they fill; JPEG.
    private func compose(_ tiles: [VipsImage]) throws(MediaError) -> Data {
        let (width, height) = (tiles[0].width, tiles[0].height)
        let rows = (tiles.count + spec.columns - 1) / spec.columns
        let across = min(tiles.count, spec.columns)
        do {
            var sheet = try tiles[0].embedded(x: 0, y: 0, width: across * width, height: rows * height, background: [0])
            for (index, tile) in tiles.enumerated().dropFirst() {
                sheet = try sheet.inserting(tile, x: (index % spec.columns) * width, y: (index / spec.columns) * height)
            }
            return try sheet.encoded(.jpeg(quality: quality, progressive: false, optimizeCoding: true, subsampling: .auto, strip: true))
        } catch {
            throw .broken("storyboard: \(error)")
        }
    }

    /// The cues: tile i shows from i × every to the next tile's time (the last to the video's end).
    func webVTT(count: Int, sheets: [String], tile: (width: Int, height: Int), duration: Double) -> String {
        let perSheet = spec.columns * spec.rows
        var lines = ["WEBVTT", ""]
        for index in 0..<count {
            let start = Double(index) * spec.every
            let end = index == count - 1 && duration > start ? duration : start + spec.every
            let within = index % perSheet
            let x = (within % spec.columns) * tile.width, y = (within / spec.columns) * tile.height
            lines.append("\(Self.timestamp(start)) --> \(Self.timestamp(end))")
            lines.append("\(sheets[index / perSheet])#xywh=\(x),\(y),\(tile.width),\(tile.height)")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `HH:MM:SS.mmm`, as WebVTT writes times.
    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let (hours, rest) = milliseconds.quotientAndRemainder(dividingBy: 3_600_000)
        let (minutes, rest2) = rest.quotientAndRemainder(dividingBy: 60_000)
        let (secs, millis) = rest2.quotientAndRemainder(dividingBy: 1000)
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(secs, 2)).\(pad(millis, 3))"
    }
}
