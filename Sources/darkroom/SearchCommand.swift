import ArgumentParser
import Foundation
import ImageAnalysis
import Pipelines
import Similarity
import ImageProcessing

/// `darkroom search`: the indexed images that are copies of one image.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the indexed copies of an image: {\"matches\": [{image_id, key, score, match}]}.",
        discussion: """
            --match exact finds the same pixels; near (the default) adds resized, re-compressed,
            recoloured, lightly edited and mirrored copies. Exit 0 with an empty list when
            nothing matches.

            Example:
              darkroom search --index sqlite:./data/index.db upload.jpg --k 5
            """)

    @OptionGroup var index: IndexOption
    @OptionGroup var options: ProcessingOptions
    @Argument(help: "The image to look for.") var image: String
    @Option(help: "At most this many matches (1...1000).") var k: Int = 10
    @Option(help: "The loosest match wanted: exact, near or transformed.") var match: String = "near"

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("--k: expected 1...1000") }
        guard MatchKind(rawValue: match) != nil else { throw ValidationError("--match: expected exact, near or transformed") }
    }

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let measured = try await ImageBatch.signatures([image], processor: processor, concurrency: 1, maxBytes: options.maxSrcBytes)
        guard let first = measured.first else { throw ValidationError("no image at \(image)") }
        let signature: ImageSignature
        switch first.result {
        case let .success(value): signature = value
        case let .failure(error):
            printError("darkroom: \(image): \(error)")
            throw ExitCode.forImageFailures([error])
        }
        let query = SimilarityQuery(signature: signature, match: MatchKind(rawValue: match)!, limit: k)
        let matches = try await index.withIndex(executor: .pool(processor.pool)) { index in try await index.search(query) }
        let data = try WireFormat.encoder(pretty: true).encode(["matches": matches])
        print(String(decoding: data, as: UTF8.self))
    }
}
