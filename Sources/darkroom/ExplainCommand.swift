import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing
import Inference

/// `darkroom explain`: an occlusion saliency map of one classification.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a classifier's decision on one image: an occlusion heat map (PNG) and its raw map (JSON).",
        discussion: """
            A grey patch slides over the model's input; each place is scored by how much hiding
            it lowers the score of the class the model chose. The occluded copies run through the
            model in batches. Writes the heat map over the image to --output and the raw map
            beside it (the same name, .json), and prints the class, its score and the peak.

            Example:
              darkroom explain --model models/classifier.yaml photo.jpg -o heatmap.png
            """)

    @Option(help: "The model spec (YAML) of a classifier.") var model: String
    @OptionGroup var options: ProcessingOptions
    @Argument(help: "The image to explain.") var image: String
    @Option(name: [.short, .long], help: "Where to write the heat map (PNG).") var output: String
    @Option(help: "The patch's side in input pixels (default: an eighth of the input).") var patch: Int?

    func validate() throws {
        guard output.lowercased().hasSuffix(".png") else { throw ValidationError("--output: expected a .png file") }
        if let patch, patch < 2 { throw ValidationError("--patch: expected 2 or more pixels") }
    }

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let loaded = try await LoadedModel.forCommand(spec: model, pool: processor.pool)
        let measured = try await ImageBatch.run([image], concurrency: 1, maxBytes: options.maxSrcBytes) { data in data }
        guard let first = measured.first, case let .success(data) = first.result else {
            let error = measured.first?.failure ?? ProcessingError.sourceUnreadable(image)
            printError("darkroom: \(image): \(error)")
            throw ExitCode.forImageFailures([error])
        }
        do {
            let input = try await ModelInputReader(processor: processor).input(of: .bytes(data), for: loaded.spec.input)
            let map = try await OcclusionMap.compute(model: loaded, input: input, patch: patch)
            let png = try await map.heatmap(over: .bytes(data), input: input, processor: processor)
            try png.write(to: URL(fileURLWithPath: output))
            let json = (output as NSString).deletingPathExtension + ".json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(map).write(to: URL(fileURLWithPath: json))
            // The peak in source pixels.
            let peak = map.peak * input.scale - input.offset * input.scale
            print(JSONLine.encode(["label": map.label, "score": String(map.score), "heatmap": output, "map": json,
                                   "peak_x": String(Int(peak.x.rounded())), "peak_y": String(Int(peak.y.rounded()))]))
        } catch {
            printError("darkroom: \(image): \(error)")
            throw ExitCode.forImageFailures([error])
        }
    }
}
