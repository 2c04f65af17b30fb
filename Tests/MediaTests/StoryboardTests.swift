import Foundation
import Media
import Testing
import TestSupport
import Vips

@Suite("Storyboards: sheets, tiles and WebVTT cues", .serialized)
struct StoryboardTests {
    @Test("a tile a second of a three-second clip, two across and one down: three tiles on two sheets, cues to the end")
    func layout() async throws {
        try await BlockingWork.run {
            let source = try VideoSource(bytes: try Fixtures.data("video/colours.mp4"), maxPixels: 1 << 24)
            var sheets: [String: Data] = [:]
            let storyboard = Storyboard(spec: try StoryboardSpec(every: 1, width: 80, columns: 2, rows: 1))
            let result = try storyboard.make(from: source, name: { "s\($0).jpg" }) { (name, data) throws(MediaError) in sheets[name] = data }
            #expect(result.tiles == 3 && result.sheets == ["s0.jpg", "s1.jpg"])
            #expect((result.tileWidth, result.tileHeight) == (80, 60))
            #expect(result.webVTT == """
                WEBVTT

                00:00:00.000 --> 00:00:01.000
                s0.jpg#xywh=0,0,80,60

                00:00:01.000 --> 00:00:02.000
                s0.jpg#xywh=80,0,80,60

                00:00:02.000 --> 00:00:03.000
                s1.jpg#xywh=0,0,80,60

                """)
            // Each cue's tile shows the colour of its second.
            let first = try VipsImage.load(try #require(sheets["s0.jpg"]))
            let second = try VipsImage.load(try #require(sheets["s1.jpg"]))
            #expect((first.width, first.height, second.width, second.height) == (160, 60, 80, 60))
            #expect(try VideoSourceTests.colour(first.extracted(left: 0, top: 0, width: 80, height: 60)) == "red")
            #expect(try VideoSourceTests.colour(first.extracted(left: 80, top: 0, width: 80, height: 60)) == "green")
            #expect(try VideoSourceTests.colour(second) == "blue")
        }
    }

    @Test("a video that would need more tiles than allowed is refused before a frame is decoded")
    func tooManyTiles() async throws {
        try await BlockingWork.run {
            let source = try VideoSource(bytes: try Fixtures.data("video/colours.mp4"), maxPixels: 1 << 24)
            let storyboard = Storyboard(spec: try StoryboardSpec(every: 0.1, maxTiles: 10))
            var stored = 0
            #expect { try storyboard.make(from: source, name: { "\($0)" }) { (_, _) throws(MediaError) in stored += 1 } } throws: { error in
                "\(error)".contains("30 tiles, over max_tiles 10")
            }
            #expect(stored == 0)
        }
    }

    @Test("values out of range are refused by name")
    func ranges() {
        #expect { try StoryboardSpec(every: 0) } throws: { "\($0)".contains("storyboard: every must be") }
        #expect { try StoryboardSpec(width: 8) } throws: { "\($0)".contains("storyboard: width must be") }
        #expect { try StoryboardSpec(columns: 0) } throws: { "\($0)".contains("storyboard: columns must be") }
        #expect { try StoryboardSpec(rows: 99) } throws: { "\($0)".contains("storyboard: rows must be") }
        #expect { try StoryboardSpec(maxTiles: 0) } throws: { "\($0)".contains("storyboard: max_tiles must be") }
    }

    @Test("durations read as pipeline specs write them")
    func durations() {
        #expect(StoryboardSpec.seconds("2s") == 2)
        #expect(StoryboardSpec.seconds("500ms") == 0.5)
        #expect(StoryboardSpec.seconds("1m") == 60)
        #expect(StoryboardSpec.seconds(" 1.5 ") == 1.5)
        #expect(StoryboardSpec.seconds("soon") == nil)
    }
}
