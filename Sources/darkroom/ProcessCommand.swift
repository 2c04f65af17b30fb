import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing

/// `darkroom process`: a recipe over many images, on every core.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run a recipe over files and folders (searched recursively), in parallel.",
        discussion: """
            Bad files are reported and skipped. Exit status: 0 when every image succeeded,
            1 when some failed, 2 on a usage error.

            Example:
              darkroom process --recipe 'rs:fit:400:400/q:80' --output thumbs/ photos/ extra.png
            """)

    @Option(help: "Processing options, such as 'rs:fit:400:400/q:80'.")
    var recipe: String

    @Option(name: .shortAndLong, help: "The folder results are written to (created when missing).")
    var output: String

    @Argument(help: "Image files and folders.")
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
        let failure: String?
    }

    func run() async throws {
        let parsed = try parseRecipe(recipe)
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let items = InputCollector.collect(inputs)
        let outputRoot = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: outputRoot, withIntermediateDirectories: true)
        } catch {
            printError("darkroom: cannot create \(output): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let progress = ProgressReporter(total: items.count)
        var outcomes: [Outcome] = []
        // Keep exactly as many images in flight as there are pixel threads.
        await withTaskGroup(of: Outcome.self) { group in
            var next = 0
            func submit() {
                guard next < items.count else { return }
                let item = items[next]
                next += 1
                group.addTask { await Self.process(item, recipe: parsed, processor: processor, root: outputRoot) }
            }
            for _ in 0..<options.jobs { submit() }
            for await outcome in group {
                outcomes.append(outcome)
                progress.update(done: outcomes.count, path: outcome.path, failure: outcome.failure)
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
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private static func process(_ item: InputCollector.Item, recipe: Recipe, processor: ImageProcessor,
                                root: URL) async -> Outcome {
        let size = (try? FileManager.default.attributesOfItem(atPath: item.path)[.size] as? NSNumber)?.intValue ?? 0
        do {
            let result = try await processor.run(recipe, on: .file(item.path))
            let destination = root.appendingPathComponent(item.outputStem + "." + result.format.fileExtension)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try result.data.write(to: destination, options: .atomic)
            return Outcome(path: item.path, bytesIn: size, bytesOut: result.data.count, failure: nil)
        } catch {
            return Outcome(path: item.path, bytesIn: size, bytesOut: 0, failure: String(describing: error))
        }
    }
}
