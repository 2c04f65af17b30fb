import ArgumentParser
import Foundation
import ImageModel
import Media

/// `darkroom storyboard clip.mp4 OUT/`: sprite sheets and a WebVTT file for a video player's
/// scrubbing previews.
struct StoryboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storyboard",
        abstract: "Make a video's storyboard: sprite sheets of frames at regular times and the WebVTT file that maps times to tiles.",
        discussion: """
            Writes OUT/storyboard-0.jpg, storyboard-1.jpg… (columns × rows tiles each) and OUT/storyboard.vtt,
            whose cues point at each tile as `storyboard-0.jpg#xywh=x,y,w,h`, then prints one JSON line.
            Exit codes: 0 done, 1 the video could not be read or is over a limit, 2 usage or a video this build cannot decode.

            Example:
              darkroom storyboard --every 2 --width 160 --columns 10 clip.mp4 public/clip/
            """)

    @Argument(help: "The video (MP4, MOV, WebM, Matroska, MPEG-TS, AVI).")
    var input: String

    @Argument(help: "The folder to write the sheets and storyboard.vtt into (created when missing).")
    var output: String

    @Option(help: "Seconds between tiles (0.1 to 3600).")
    var every: Double = 2

    @Option(help: "Tile width in pixels (16 to 1024); the height follows the video's proportions.")
    var width: Int = 160

    @Option(help: "Tiles across a sheet (1 to 50).")
    var columns: Int = 10

    @Option(help: "Tile rows per sheet (1 to 50).")
    var rows: Int = 10

    @Option(help: "The most tiles; a longer video needs a larger --every.")
    var maxTiles: Int = 1000

    @Option(help: "JPEG quality of the sheets.")
    var quality: Int = 80

    @OptionGroup var video: VideoInputOptions

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1 to 100, not \(quality)") }
        do { _ = try spec() } catch { throw ValidationError(error.description) }
    }

    private func spec() throws(MediaError) -> StoryboardSpec {
        try StoryboardSpec(every: every, width: width, columns: columns, rows: rows, maxTiles: maxTiles)
    }

    func run() throws {
        try VideoInputOptions.reportingFailures("storyboard", input) {
            let source = try video.open(input)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let storyboard = Storyboard(spec: try spec(), quality: quality)
            let result = try storyboard.make(from: source, name: { "storyboard-\($0).jpg" }) { (name, data) throws(MediaError) in
                do { try data.write(to: URL(fileURLWithPath: output).appendingPathComponent(name)) } catch {
                    throw .broken("\(output)/\(name): \(error.localizedDescription)")
                }
            }
            try Data(result.webVTT.utf8).write(to: URL(fileURLWithPath: output).appendingPathComponent("storyboard.vtt"))
            let line: [String: Any] = ["file": input, "tiles": result.tiles, "sheets": result.sheets, "vtt": "storyboard.vtt",
                                       "tile": ["width": result.tileWidth, "height": result.tileHeight]]
            print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]),
                         as: UTF8.self))
        }
    }
}
