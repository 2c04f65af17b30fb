import ArgumentParser
import Foundation
import Inference
import JobQueue
import Logging
import ObjectStorage
import Pipelines

/// `darkroom submit`: queue a pipeline over images, as one batch.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a pipeline over images as one batch; print the batch id.",
        discussion: """
            Local files (and image files in folders) are stored first, under originals/<image id>
            in --storage, exactly as POST /v1/images stores them. local:///, http(s):// and s3://
            sources are queued as they are. Workers must load the same pipeline (by name).

            Example:
              darkroom submit --pipeline examples/pipelines/web.yaml --wait photos/
            """)

    @Option(help: "A pipeline spec file, or a pipeline's name in --pipelines.") var pipeline: String
    @Option(help: "Folder of pipeline specs, to resolve a name.") var pipelines: String?
    @Option(help: "Folder of model specs, for a pipeline that names models (their resources place its jobs).")
    var models: String?
    @OptionGroup var queue: QueueOption
    @OptionGroup var storage: StorageOption
    @Option(help: "Higher runs first (-1000...1000).") var priority: Int = 0
    @Flag(help: "Show progress until the batch is done, then a summary; exit 1 when a job failed.") var wait = false
    @Option(help: "With --wait, give up after this many seconds (exit 3); the jobs stay queued.") var timeout: Double?
    @Argument(help: "Image files, folders, or sources (local:///…, https://…, s3://…).") var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input") }
        guard (-1000...1000).contains(priority) else { throw ValidationError("--priority: expected -1000...1000") }
        // A bound, too: the deadline is whole milliseconds in an Int (1e300 stopped the process).
        if let timeout, !(timeout > 0 && timeout <= 604_800) { throw ValidationError("--timeout: expected seconds above 0, at most 604800 (a week)") }
    }

    func run() async throws {
        let spec = try loadPipeline()
        let opener = StoreOpener()
        let sources: [String]
        do {
            sources = try await store(inputs, opener: opener)
            await opener.shutdown()
        } catch {
            await opener.shutdown()
            throw error
        }
        guard !sources.isEmpty else { throw ValidationError("no images found in \(inputs.joined(separator: " "))") }
        let batchID = UUID().uuidString.lowercased()
        let queued = sources
        let priority = priority
        let wait = wait
        let deadline = timeout.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        let failed = try await queue.with { queue in
            for source in queued {
                _ = try await queue.enqueue(spec.job(source: source, priority: priority, batchID: batchID))
            }
            print(batchID)
            guard wait else { return false }
            return try await Self.follow(batchID: batchID, total: queued.count, queue: queue, deadline: deadline)
        }
        if failed { throw ExitCode(1) }
    }

    /// Local files go into the store under `originals/<image id>`; sources pass as they are.
    private func store(_ inputs: [String], opener: StoreOpener) async throws -> [String] {
        let store = try opener.open(try storage.location)
        var sources: [String] = []
        for input in inputs {
            if input.contains("://") || input.hasPrefix("local:") {
                sources.append(input)
                continue
            }
            for item in try await InputCollector.collect([input], opener: opener) {
                guard case let .file(path) = item.origin, let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("\(item.path): no such file or not readable")
                }
                let key = "originals/\(PipelineRunner.imageID(of: data))"
                _ = try await store.put(try ObjectKey(key), data: data)
                sources.append(key)
            }
        }
        return sources
    }

    /// The pipeline, with the resources of the models it names (from --models) joined to its own.
    private func loadPipeline() throws -> Pipeline {
        let loaded = try Pipeline.forCommand(pipeline, pipelines: pipelines)
        let specs = try models.map { try ModelRegistry.specs(in: $0) } ?? []
        return try PipelineCatalog([loaded]).requiring(models: specs).pipeline(named: loaded.name)
    }

    /// Polls the batch until every job is final; returns whether any job did not complete.
    private static func follow(batchID: String, total: Int, queue: any JobQueue,
                               deadline: ContinuousClock.Instant?) async throws -> Bool {
        let progress = ProgressReporter(total: total)
        var shown = 0
        while true {
            let batch = try await queue.batch(id: batchID)
            let finished = batch.finished
            if finished > shown {
                for done in (shown + 1)...finished { progress.update(done: done, path: "", failure: nil) }
                shown = finished
            }
            if batch.isDone {
                let elapsed = Date().timeIntervalSince(progress.start)
                let completed = batch.counts[.completed] ?? 0
                print(String(format: "batch %@: %d completed, %d dead, %d cancelled in %.1f s (%.1f images/s)",
                             batchID, completed, batch.counts[.dead] ?? 0, batch.counts[.cancelled] ?? 0, elapsed,
                             Double(total) / max(elapsed, 0.001)))
                return completed != total
            }
            if let deadline, ContinuousClock.now > deadline {
                printError("batch \(batchID): \(finished) of \(total) finished when --timeout ran out; the rest stay queued")
                throw ExitCode(3)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
