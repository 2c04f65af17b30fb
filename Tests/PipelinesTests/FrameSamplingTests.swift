import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import Inference
import ObjectStorage
import Similarity
import Testing
import TestSupport
@testable import Pipelines

/// A pipeline's `frames:` step on a video: each sampled frame runs the features and checks,
/// the results come back by time, and each frame's signature is indexed by its time.
@Suite("Frame sampling in pipelines")
struct FrameSamplingTests {
    static func run(_ frames: String, checks: String = "", index: (any SimilarityIndex)? = nil,
                    source: String = "video/colours.mp4") async throws -> PipelineResult {
        let pipeline = try Pipeline(spec: """
            name: clips
            version: "1"
            features: [dominant_colors, signature]
            frames: \(frames)
            \(checks)
            """, file: "clips.yaml")
        let store = MemoryObjectStore()
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: PixelPool(threads: 1)),
                                    sources: StoreSources(store: store), store: store, index: index)
        _ = try await store.put(try ObjectKey("in/clip"), data: try Fixtures.data(source))
        return try await runner.run(PipelineJob(pipeline: "clips", version: "1", source: "in/clip"))
    }

    /// The dominant colour of a frame as the nearest of red, green and blue.
    static func colour(_ frame: PipelineResult.FrameResult) -> String? {
        guard let hex = frame.features.dominantColors?.first?.hex, hex.count == 7 else { return nil }
        let channels = stride(from: 1, to: 7, by: 2).map { Int(hex.dropFirst($0).prefix(2), radix: 16) ?? 0 }
        return ["red", "green", "blue"][channels.indices.max { channels[$0] < channels[$1] }!]
    }

    @Test("every 1s, key frames and scene changes each find the clip's three colours at 0, 1 and 2 s",
          arguments: ["{every: 1s}", "{keyframes, max: 10}", "{scene_change: 0.3}"])
    func selections(_ frames: String) async throws {
        let result = try await Self.run(frames)
        let sampled = try #require(result.frames)
        #expect(sampled.map(Self.colour) == ["red", "green", "blue"], "\(frames): \(sampled.map(\.seconds))")
        for (frame, second) in zip(sampled, [0.0, 1.0, 2.0]) {
            #expect(abs(frame.seconds - second) <= 0.15, "\(frames): \(sampled.map(\.seconds))")
            #expect(frame.features.signature != nil)
        }
    }

    @Test("max bounds the frames; a frame that fails a check flags the video once; each frame is indexed by its time")
    func checksAndIndex() async throws {
        let index = MemorySimilarityIndex()
        let result = try await Self.run("{every: 500ms, max: 4}",
                                        checks: "checks: [{min_width: 500, action: flag}]", index: index)
        #expect(result.frames?.count == 4 && result.frames?.last.map { abs($0.seconds - 1.5) <= 0.15 } == true)
        #expect(result.frames?.allSatisfy { $0.checks.contains { $0.rule == "min_width" && !$0.passed } } == true)
        #expect(result.flags.filter { $0 == "min_width" }.count == 1 && !result.rejected)
        let keys = try await index.count()
        #expect(keys == 5, "the video's own signature and one per frame: \(keys)")
    }

    @Test("each frame's model predictions are in its result, and a label check trips on a frame's: green and blue frames are plain, the red poster is not",
          arguments: [32, 4])
    func modelsOnFrames(framesPerSlice: Int) async throws {
        let pool = PixelPool(threads: 1)
        let models = try await ModelRegistry.load(folder: Fixtures.url("models").path, runtime: OpenCVRuntime(), pool: pool)
        let pipeline = try Pipeline(spec: """
            name: clips
            version: "1"
            features: [dimensions]
            models: [red-square]
            frames: {every: 100ms}
            checks: [{label: {name: plain, min_score: 0.9, action: flag}}]
            """, file: "clips.yaml")
        let store = MemoryObjectStore()
        var runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: ImageProcessor(pool: pool),
                                    sources: StoreSources(store: store), store: store, models: models)
        // Slices of 4 frames: the 30 frames' inputs are made and predicted in 8 slices, in order.
        runner.framesPerSlice = framesPerSlice
        _ = try await store.put(try ObjectKey("in/clip"), data: try Fixtures.data("video/colours.mp4"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await models.run() }
            let result = try await runner.run(PipelineJob(pipeline: "clips", version: "1", source: "in/clip"))
            // The poster (the first frame) is red: alone it would not trip the check.
            #expect(result.predictions?.first?.labels?.first?.label == "red")
            let frames = result.frames ?? []
            let labels = frames.map { $0.predictions?.first?.labels?.first?.label }
            // Red for the first second, then green and blue ("plain"): every frame its own label.
            #expect(frames.count == 30 && labels == frames.map { $0.seconds < 0.95 ? "red" : "plain" },
                    "\(zip(frames.map(\.seconds), labels).map { "\($0)=\($1 ?? "-")" })")
            #expect(result.flags == ["label:plain"] && !result.rejected, "\(result.flags)")
            group.cancelAll()
        }
    }

    @Test("a frames: step on a still image fails the job by name; the spec refuses bad selections by field", arguments: [
        ("{every: soon}", "frames.every"), ("{every: 1s, keyframes}", "frames"), ("{scene_change: 3}", "frames"),
        ("{every: 1s, max: 0}", "frames"), ("{keyframes: maybe}", "frames.keyframes"), ("{fps: 2}", "frames.fps"),
    ])
    func refusals(_ frames: String, _ field: String) async throws {
        await #expect { _ = try await Self.run("{every: 1s}", source: "natural/rocket.jpg") } throws: { "\($0)".contains("needs a video source") }
        #expect {
            _ = try Pipeline(spec: "name: clips\nfeatures: [dimensions]\nframes: \(frames)\n", file: "c.yaml")
        } throws: { error in
            guard case let .invalidSpec(_, found, _) = error as? PipelineError else { return false }
            return found == field
        }
    }
}
