import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing
import Pipelines
import Similarity

/// `darkroom dedupe`: the duplicate clusters among the images under some paths.
struct DedupeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Group the images under some paths into duplicate clusters.",
        discussion: """
            Measures every image (shrunk on load, on the pixel threads), finds each one's earlier
            copies in an in-memory index, and prints {"pairs": [{"a", "b", "score", "match"}],
            "groups": [[path, …]]} with the paths as found under the arguments; --format csv
            prints the pairs, --format html a page of each group's thumbnails side by side.
            --match exact finds identical pixels only; near (the default) adds resized,
            re-compressed, recoloured, lightly edited, framed and mirrored copies; transformed
            adds crops, turns and captions that the images' keypoints verify (slower). Images that cannot be
            read are reported on standard error and give exit 1 (exit 2 for refused formats).

            Example:
              darkroom dedupe photos/ --format html --output duplicates.html
            """)

    @OptionGroup var options: ProcessingOptions
    @Argument(help: "Images, folders or s3:// prefixes.") var inputs: [String]
    @Option(help: "The loosest match that counts: exact, near or transformed.") var match: String = "near"
    @Option(help: "json, csv or html.") var format: String = "json"
    @Option(help: "Write the report here instead of standard output.") var output: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        guard MatchKind(rawValue: match) != nil else { throw ValidationError("--match: expected exact, near or transformed") }
        guard ["json", "csv", "html"].contains(format) else { throw ValidationError("--format: expected json, csv or html") }
    }

    func run() async throws {
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let measured = try await ImageBatch.signatures(inputs, processor: processor, concurrency: options.jobs,
                                                        maxBytes: options.maxSrcBytes)

        let index = MemorySimilarityIndex(executor: .pool(processor.pool))
        var pairs: [DuplicateReport.Pair] = []
        var failures: [any Error] = []
        var paths: [String] = []
        for (position, entry) in measured.enumerated() {
            guard case let .success(signature) = entry.result else {
                failures.append(entry.failure!)
                printError("darkroom: \(entry.item.path): \(entry.failure!)")
                continue
            }
            // Each image against those before it: every pair once, earlier image first.
            let id = String(position)
            for found in try await index.search(SimilarityQuery(signature: signature, match: MatchKind(rawValue: match)!,
                                                                limit: 1000)) {
                pairs.append(.init(a: found.key, b: entry.item.path, score: (found.score * 10_000).rounded() / 10_000,
                                   match: found.match))
            }
            try await index.add(IndexedImage(imageID: id, key: entry.item.path, signature: signature))
            paths.append(entry.item.path)
        }
        let report = DuplicateReport(pairs: pairs, paths: paths)
        let text: String
        switch format {
        case "csv": text = report.csv
        case "html":
            let thumbnail = try Recipe(parsing: "rs:fit:160:160/q:75/f:jpg")
            let files = Dictionary(measured.map { ($0.item.path, $0.item.origin) }, uniquingKeysWith: { first, _ in first })
            text = await report.html { path in
                guard case let .file(file)? = files[path] else { return nil }
                return try? await processor.run(thumbnail, on: .file(file)).data
            }
        default: text = String(decoding: try WireFormat.encoder(pretty: true).encode(report), as: UTF8.self) + "\n"
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let status = ExitCode.forImageFailures(failures)
        if status != .success { throw status }
    }
}
