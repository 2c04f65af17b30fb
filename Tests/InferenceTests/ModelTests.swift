import ImageModel
import Foundation
import ImageProcessing
import Testing
import TestSupport
import Vips
import Vision
@testable import Inference

/// The runtime against models built by scripts/make-models (the onnx package), whose expected
/// numbers numpy computed from the same pixels.
@Suite("Models")
struct ModelTests {
    static let pool = PixelPool(threads: 2)
    static let reader = ModelInputReader(processor: ImageProcessor(pool: pool))

    static func spec(_ name: String) throws -> ModelSpec {
        try ModelSpec.read(file: Fixtures.url("models/\(name).yaml").path)
    }

    static func load(_ name: String) async throws -> LoadedModel {
        try await LoadedModel(spec(name), runtime: OpenCVRuntime(), pool: pool)
    }

    static func input(_ image: String, for model: LoadedModel) async throws -> InputTensor {
        try await reader.input(of: .bytes(Fixtures.data("models/\(image)")), for: model.spec.input)
    }

    static var expected: [String: [String: [Float]]] {
        get throws { try JSONDecoder().decode([String: [String: [Float]]].self, from: Fixtures.data("models/expected.json")) }
    }

    @Test("a classifier's scores match numpy's on the same pixels; the red square is found")
    func classifies() async throws {
        let model = try await Self.load("red_square")
        for image in ["plain.png", "square.png"] {
            let prediction = try await model.run([Self.input(image, for: model)])[0]
            let reference = try #require(try Self.expected["red_square"]?[image])
            let labels = try #require(prediction.labels)
            let byLabel = Dictionary(uniqueKeysWithValues: labels.map { ($0.label, $0.score) })
            #expect(abs(byLabel["red"]! - reference[0]) < 1e-4 && abs(byLabel["plain"]! - reference[1]) < 1e-4, "\(image): \(labels)")
            #expect(labels[0].label == (image == "square.png" ? "red" : "plain"))
        }
    }

    @Test("an embedding is numpy's vector, L2-normalised")
    func embeds() async throws {
        let model = try await Self.load("embed")
        for image in ["plain.png", "square.png"] {
            let embedding = try #require(try await model.run([Self.input(image, for: model)])[0].embedding)
            let reference = try #require(try Self.expected["embed"]?[image])
            #expect(zip(embedding, reference).allSatisfy { abs($0 - $1) < 1e-4 }, "\(image): \(embedding) vs \(reference)")
            #expect(abs(embedding.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
    }

    @Test("detection decodes the planted YOLO boxes, suppresses the overlap and the weak one, and maps boxes to the source")
    func detects() async throws {
        let model = try await Self.load("boxes")
        // A 128×64 source letterboxed into 64×64: scale 2, padded 16 rows above.
        let source = try SyntheticImages.png(SyntheticImages.solid(width: 128, height: 64, colour: [10, 20, 30]))
        let input = try await Self.reader.input(of: .bytes(Data(source)), for: model.spec.input)
        #expect(input.scale == SIMD2(2, 2) && input.offset == SIMD2(0, 16))
        let objects = try #require(try await model.run([input])[0].objects)
        #expect(objects.map(\.label) == ["cat", "dog"])
        #expect(abs(objects[0].score - 0.9 * 0.95) < 1e-5 && abs(objects[1].score - 0.95 * 0.8) < 1e-5)
        // The cat: centre (20, 20), 16 wide, in the input → left 12, top 12 → source (24, -8), 32 × 32.
        #expect(objects[0].box == Box(x: 24, y: -8, width: 32, height: 32))
        #expect(objects[1].box == Box(x: 84, y: 36, width: 24, height: 40))
    }

    @Test("a batch gives each image what it gets alone; the batcher gathers concurrent requests into one pass")
    func batches() async throws {
        let model = try await Self.load("red_square")
        let inputs = try await [Self.input("plain.png", for: model), Self.input("square.png", for: model)]
        let alone = try await [model.run([inputs[0]])[0], model.run([inputs[1]])[0]]
        let together = try await model.run(inputs + inputs + inputs)
        #expect(together == alone + alone + alone)

        let batcher = ModelBatcher(model: model)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await batcher.run() }
            let predictions = try await withThrowingTaskGroup(of: (Int, Prediction).self) { requests in
                for index in 0..<8 { requests.addTask { (index, try await batcher.predict(inputs[index % 2])) } }
                return try await requests.reduce(into: [Int: Prediction]()) { $0[$1.0] = $1.1 }
            }
            for index in 0..<8 { #expect(predictions[index] == alone[index % 2]) }
            group.cancelAll()
        }
        // 8 requests, batches of at most 8, waiting 5 ms: fewer passes than requests.
        #expect(batcher.batches.images == 8 && batcher.batches.batches < 8, "\(batcher.batches)")
        // Stopped, it refuses at once rather than leave a request waiting for nobody.
        await #expect(throws: InferenceError.self) { try await batcher.predict(inputs[0]) }
    }

    @Test("grey and transparent images are converted to RGB for the model")
    func converts() async throws {
        let model = try await Self.load("red_square")
        for colour: [UInt8] in [[128], [128, 255], [200, 30, 40, 0]] {
            let image = try SyntheticImages.png(SyntheticImages.solid(width: 40, height: 40, colour: colour))
            let input = try await Self.reader.input(of: .bytes(Data(image)), for: model.spec.input)
            #expect(input.tensor.shape == [1, 3, 32, 32], "\(colour.count) bands")
            // Transparent red counts as white: plain.
            let expectedRed = colour.count == 1 || colour.count == 2 ? 128.0 / 255 : 1
            #expect(abs(input.tensor.values[0] - Float(expectedRed)) < 0.01, "\(colour.count) bands: \(input.tensor.values[0])")
        }
    }

    @Test("a CMYK JPEG is converted to RGB for the model: the red square is still found")
    func cmyk() async throws {
        let model = try await Self.load("red_square")
        let rgb = try VipsImage.load(Fixtures.data("models/square_large.png"))
        let cmyk = try rgb.colourspace(.cmyk).encoded(.jpeg(quality: 95, progressive: false, optimizeCoding: false,
                                                               subsampling: .auto, strip: false))
        #expect(try VipsImage.load(cmyk).interpretation == .cmyk && VipsImage.load(cmyk).bands == 4)
        let input = try await Self.reader.input(of: .bytes(cmyk), for: model.spec.input)
        #expect(input.tensor.shape == [1, 3, 32, 32])
        #expect(try await model.run([input])[0].labels?.first?.label == "red")
    }

    @Test("the occlusion map of the red-square model peaks on the square, measured in source pixels; a detector is refused")
    func occlusion() async throws {
        let model = try await Self.load("red_square")
        // 128×128, the square at x 80–112, y 24–56, seen through a 32×32 input.
        let input = try await Self.input("square_large.png", for: model)
        let map = try await OcclusionMap.compute(model: model, input: input)
        #expect(map.label == "red" && map.patch == 4 && map.rows == 15 && map.columns == 15)
        let peak = map.peak * input.scale - input.offset * input.scale
        #expect((80...112).contains(peak.x) && (24...56).contains(peak.y), "peak at \(peak)")
        // Away from the square, hiding a patch costs nothing.
        #expect(map.drops[14][0] == 0 && map.drops[0][0] == 0)
        let boxes = try await Self.load("boxes")
        await #expect(throws: InferenceError.self) { try await OcclusionMap.compute(model: boxes, input: Self.input("square.png", for: boxes)) }
    }
}
