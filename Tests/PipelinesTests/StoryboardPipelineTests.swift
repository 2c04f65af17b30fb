import Foundation
import ImageModel
import ImageProcessing
import ObjectStorage
import Testing
import TestSupport
import Vips
@testable import Pipelines

/// Video sources in pipelines: a poster preview from the same job and a storyboard output.
@Suite("Storyboards in pipelines")
struct StoryboardPipelineTests {
    static let spec = """
        name: clips
        version: "1"
        outputs:
          - {name: poster, recipe: "vts:1.5/rs:fit:64:64/f:png"}
          - {name: board, storyboard: {every: 1s, width: 40, columns: 2, rows: 1}}
        """

    static func run(_ spec: String = Self.spec, source: String = "video/colours.mp4") async throws -> (PipelineResult, MemoryObjectStore) {
        let pipeline = try Pipeline(spec: spec, file: "clips.yaml")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 1)),
                                    sources: StoreSources(store: store), store: store)
        _ = try await store.put(try ObjectKey("in/clip"), data: try Fixtures.data(source))
        return (try await runner.run(PipelineJob(pipeline: "clips", version: "1", source: "in/clip")), store)
    }

    @Test("a poster and a storyboard: two sheets and a WebVTT file naming them, in one folder")
    func storyboard() async throws {
        let (result, store) = try await Self.run()
        let poster = try #require(result.outputs.first { $0.name == "poster" })
        #expect((poster.width, poster.height) == (64, 48))
        #expect(result.outputs.map(\.name).sorted() == ["board", "board-0", "board-1", "poster"])
        let vtt = try #require(result.outputs.first { $0.name == "board" })
        #expect(vtt.key == "storyboards/\(result.imageID)/board.vtt" && vtt.format == "webvtt")
        let text = String(decoding: try await store.get(try ObjectKey(vtt.key)).data, as: UTF8.self)
        #expect(text.contains("00:00:02.000 --> 00:00:03.000\nboard-1.jpg#xywh=0,0,40,30"))
        let sheet = try VipsImage.load(try await store.get(try ObjectKey("storyboards/\(result.imageID)/board-0.jpg")).data)
        #expect((sheet.width, sheet.height) == (80, 30))
        // The result states each sheet's size: two tiles, then the one left.
        #expect(result.outputs.filter { $0.name.hasPrefix("board-") }.map { [$0.width, $0.height] } == [[80, 30], [40, 30]])
    }

    @Test("a storyboard of a still image fails the job by name; the spec refuses bad layouts by field")
    func refusals() async throws {
        await #expect { try await Self.run(source: "natural/rocket.jpg") } throws: { "\($0)".contains("needs a video source") }
        #expect { try Pipeline(spec: Self.spec.replacingOccurrences(of: "every: 1s", with: "every: soon"), file: "c.yaml") }
            throws: { "\($0)".contains("outputs[1].storyboard.every") }
        #expect { try Pipeline(spec: Self.spec.replacingOccurrences(of: "columns: 2", with: "columns: 200"), file: "c.yaml") }
            throws: { "\($0)".contains("columns must be 1 to 50") }
        #expect { try Pipeline(spec: Self.spec.replacingOccurrences(of: "name: board", with: "name: poster"), file: "c.yaml") }
            throws: { "\($0)".contains("outputs[1].name") }
    }
}
