import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing
import ObjectStorage

/// `darkroom process`: a recipe over many images, on every core.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run a recipe over files and folders (searched recursively), in parallel.",
        discussion: """
            Bad files are reported and skipped. Exit status: 0 when every image succeeded,
            1 when some failed, 2 on a usage error.

            Inputs may be s3://bucket/key objects, or s3://bucket/prefix/ (ending in /) for every
            image under a prefix; --output may be an s3://bucket/prefix too.

            Examples:
              darkroom process --recipe 'rs:fit:400:400/q:80' --output thumbs/ photos/ extra.png
              darkroom process --recipe 'rs:fit:400:400' --output 's3://media/thumbs' 's3://media/originals/'
            """)

    @Option(help: "Processing options, such as 'rs:fit:400:400/q:80'.")
    var recipe: String

    @Option(name: .shortAndLong, help: "The folder (created when missing) or s3://bucket/prefix results are written to.")
    var output: String

    @Argument(help: "Image files, folders, s3://bucket/key objects and s3://bucket/prefix/ prefixes.")
    var inputs: [String]

    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        _ = try parseRecipe(recipe)
        if inputs.isEmpty { throw ValidationError("give at least one input file or folder") }
    }

    private struct Outcome: Sendable {
        let path: String
        let bytesIn: Int
        let bytesOut: Int
        let failure: (any Error)?
    }

    /// Where results go.
    enum Destination: Sendable {
        case folder(URL)
        case objects(any ObjectStore)
    }

    func run() async throws {
        let opener = StoreOpener()
        do {
            try await process(opener: opener)
            await opener.shutdown()
        } catch {
            await opener.shutdown()
            throw error
        }
    }

    private func process(opener: StoreOpener) async throws {
        let parsed = try parseRecipe(recipe)
        let processor = options.makeProcessor(for: [parsed])
        defer { processor.pool.shutdown() }
        let items: [InputCollector.Item]
        let destination: Destination
        do {
            items = try await InputCollector.collect(inputs, opener: opener)
            if StoreOpener.isObjectURL(output) {
                destination = .objects(try opener.open(ObjectStoreLocation(output)))
            } else {
                let root = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
                destination = .folder(root)
            }
        } catch {
            printError("darkroom: \(error)")
            throw ExitCode(1)
        }
        let maxBytes = options.maxSrcBytes
        let progress = ProgressReporter(total: items.count)
        var outcomes: [Outcome] = []
        // Keep exactly as many images in flight as there are pixel threads.
        await withTaskGroup(of: Outcome.self) { group in
            var next = 0
            func submit() {
                guard next < items.count else { return }
                let item = items[next]
                next += 1
                group.addTask {
                    await Self.process(item, recipe: parsed, processor: processor, destination: destination, maxBytes: maxBytes)
                }
            }
            for _ in 0..<options.jobs { submit() }
            for await outcome in group {
                outcomes.append(outcome)
                progress.update(done: outcomes.count, path: outcome.path, failure: outcome.failure.map { "\($0)" })
                submit()
            }
        }
        let elapsed = max(Date().timeIntervalSince(progress.start), 0.001)
        let failures = outcomes.filter { $0.failure != nil }
        var summary = """
            processed: \(outcomes.count - failures.count)
            failed: \(failures.count)
            images/s: \(String(format: "%.2f", Double(outcomes.count - failures.count) / elapsed))
            seconds: \(String(format: "%.2f", elapsed))
            bytes in: \(outcomes.reduce(0) { $0 + $1.bytesIn })
            bytes out: \(outcomes.reduce(0) { $0 + $1.bytesOut })

            """
        for failure in failures.sorted(by: { $0.path < $1.path }) {
            summary += "  \(failure.path): \(failure.failure!)\n"
        }
        FileHandle.standardOutput.write(Data(summary.utf8))
        let status = ExitCode.forImageFailures(failures.compactMap(\.failure))
        if status != .success { throw status }
    }

    private static func process(_ item: InputCollector.Item, recipe: Recipe, processor: ImageProcessor,
                                destination: Destination, maxBytes: Int) async -> Outcome {
        var size = 0
        do {
            let source: ImageSource
            switch item.origin {
            case let .file(path):
                size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                source = .file(path)
            case let .object(store, key):
                source = try await ObjectIO.source(store, key, maxBytes: maxBytes)
                if case let .bytes(data) = source { size = data.count }
            }
            let result = try await processor.run(recipe, on: source)
            let name = item.outputStem + "." + result.format.fileExtension
            switch destination {
            case let .folder(root):
                let file = root.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try result.data.write(to: file, options: .atomic)
            case let .objects(store):
                try await ObjectIO.save(result, to: store, try ObjectKey(name))
            }
            return Outcome(path: item.path, bytesIn: size, bytesOut: result.data.count, failure: nil)
        } catch {
            return Outcome(path: item.path, bytesIn: size, bytesOut: 0, failure: error)
        }
    }
}
