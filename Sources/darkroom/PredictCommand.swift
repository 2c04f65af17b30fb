import ArgumentParser
import Foundation
import ImageProcessing
import Inference

/// `darkroom predict`: runs a model over images, batched, and prints what it says about each.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run an ONNX model over images: one JSON line per image with its labels, objects or embedding.",
        discussion: """
            The model spec (YAML) names the ONNX file, its input (size, layout, resize, colours,
            mean and std), its task (classify, detect or embed) and its batch size; the model is
            checked against the spec when it loads, and images are run through it in batches of
            that size. Images that fail are reported on standard error (exit 1, or 2 when only
            refused formats failed).

            Example:
              darkroom predict --model models/red_square.yaml photos/
            """)

    @Option(help: "The model spec (YAML).") var model: String
    @OptionGroup var options: ProcessingOptions
    @Argument(help: "Images, folders or s3:// prefixes.") var images: [String]

    /// Images read and predicted at a time.
    static let slice = 256

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let loaded = try await LoadedModel.forCommand(spec: model, pool: processor.pool)
        let reader = ModelInputReader(processor: processor)
        let input = loaded.spec.input
        var failures: [any Error] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A slice of images at a time: their input tensors (600 KB an image at 224×224) are
        // never all in memory.
        try await ImageBatch.inSlices(images, size: Self.slice, concurrency: options.jobs, maxBytes: options.maxSrcBytes) { data in
            try await reader.input(of: .bytes(data), for: input)
        } each: { measured in
            for entry in try await loaded.predictions(measured, failures: &failures) {
                print(String(decoding: try encoder.encode(PredictionLine(file: entry.path, prediction: entry.prediction)), as: UTF8.self))
            }
        }
        let status = ExitCode.forImageFailures(failures)
        if status != .success { throw status }
    }
}

/// One line of `darkroom predict`: the file, then the prediction's fields.
struct PredictionLine: Encodable {
    let file: String
    let prediction: Prediction

    enum CodingKeys: String, CodingKey { case file }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try prediction.encode(to: encoder)
    }
}
