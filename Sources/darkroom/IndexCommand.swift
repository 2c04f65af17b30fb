import ArgumentParser
import Foundation
import ImageAnalysis
import Similarity
import ImageProcessing

/// `darkroom index`: put images into the similarity index, or take them out.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add images to the similarity index (or remove them), for search and dedupe.",
        subcommands: [Add.self, Remove.self, IndexBenchCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure and index images: files, folders (searched recursively) or s3:// objects.",
            discussion: """
                Each image is indexed under its content id (the SHA-256 of its bytes, as uploads are
                named), with its path as the key, so adding the same file twice indexes it once.
                Prints one JSON line per image: {"image_id", "key"} or {"key", "error"}.

                Example:
                  darkroom index add --index sqlite:./data/index.db photos/
                """)
        @OptionGroup var index: IndexOption
        @OptionGroup var options: ProcessingOptions
        @Argument(help: "Images, folders or s3:// prefixes.") var inputs: [String]

        func validate() throws {
            guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        }

        func run() async throws {
            let processor = options.makeProcessor()
            defer { processor.pool.shutdown() }
            let measured = try await ImageBatch.signatures(inputs, processor: processor, concurrency: options.jobs,
                                                            maxBytes: options.maxSrcBytes)
            let measuredEntries = measured
            let failures = try await index.withIndex { index -> [String] in
                var failures: [String] = []
                for entry in measuredEntries {
                    switch entry.result {
                    case let .success(signature):
                        try await index.add(IndexedImage(imageID: entry.imageID, key: entry.item.path, signature: signature))
                        print(JSONLine.encode(["image_id": entry.imageID, "key": entry.item.path]))
                    case let .failure(error):
                        failures.append(entry.item.path)
                        print(JSONLine.encode(["key": entry.item.path, "error": String(describing: error)]))
                    }
                }
                return failures
            }
            _ = failures
            let status = ExitCode.forImageFailures(measured.compactMap(\.failure))
            if status != .success { throw status }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove images from the index by id.")
        @OptionGroup var index: IndexOption
        @Argument(help: "Image ids.") var ids: [String]

        func run() async throws {
            let ids = ids
            try await index.withIndex { index in
                for id in ids { try await index.remove(imageID: id) }
            }
        }
    }
}

/// One JSON object on one line, keys sorted.
enum JSONLine {
    static func encode(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(fields)) ?? Data(), as: UTF8.self)
    }
}
