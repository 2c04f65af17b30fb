import ArgumentParser
import Foundation
import ImageSources
import JobQueue
import Pipelines

/// `darkroom streams`: add, list and remove live streams, each a long-running job that a
/// worker reads until it is removed.
struct StreamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streams",
        abstract: "Add, list and remove live streams (rtsp://, udp://, http(s):// MPEG-TS) read by the workers.",
        discussion: """
            A stream is a job in the streams queue: a worker with a free slot takes it and reads it
            until it is removed, running the pipeline's motion: step on its frames and posting
            events to the pipeline's on_event: webhook. If the worker dies, another takes it over.
            Workers read only the schemes their --stream-sources allow, under --allowed-sources.

            Example:
              darkroom streams add rtsp://camera.local/live --pipeline examples/pipelines/camera.yaml
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a stream; print its id.")
        @Option(help: "A pipeline spec file with a motion: step, or a pipeline's name in --pipelines.") var pipeline: String
        @Option(help: "Folder of pipeline specs, to resolve a name.") var pipelines: String?
        @Option(help: "A name to list it by (default: its URL).") var name: String?
        @OptionGroup var queue: QueueOption
        @Argument(help: "The stream's URL: rtsp://…, udp://host:port, http(s)://… (MPEG-TS).") var url: String

        func validate() throws {
            do { try StreamSourceRules.parse(url) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let loaded = try Pipeline.forCommand(pipeline, pipelines: pipelines)
            guard loaded.motion != nil else {
                throw ValidationError("--pipeline: '\(loaded.name)' has no motion: step to run on a stream")
            }
            let job = StreamJob(url: url, pipeline: loaded.name, name: name).job(pipeline: loaded)
            let added = try await queue.with { queue in try await queue.enqueue(job) }
            print(added.id)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List streams not removed: id, status, state, fps in/out, lag, frames, events, worker, name.")
        @OptionGroup var queue: QueueOption
        @Flag(help: "Print JSON, as GET /v1/streams does.") var json = false
        @Flag(help: "Include removed (cancelled) streams.") var all = false

        func run() async throws {
            let all = all
            let views = try await queue.with { queue in try await StreamView.list(in: queue, includingRemoved: all) }
            if json {
                print(String(decoding: try WireFormat.encoder().encode(views), as: UTF8.self))
                return
            }
            for view in views {
                let report = view.report
                let rate = { (value: Double?) in value.map { String(format: "%.1f", $0) } ?? "-" }
                print([view.id, view.status, report?.state.rawValue ?? "-", "\(rate(report?.fpsIn))/\(rate(report?.fpsOut))",
                       rate(report?.lag), "\(report?.frames ?? 0)", "\(report?.events ?? 0)", view.worker ?? "-", view.name]
                    .joined(separator: "\t"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a stream: its worker stops reading it within a second or two.")
        @OptionGroup var queue: QueueOption
        @Argument(help: "The stream's id.") var id: String

        func run() async throws {
            let id = id
            let job = try await queue.with { queue -> Job? in
                guard let job = try await queue.job(id: id), job.queue == StreamJob.queue else { return nil }
                return try await queue.cancel(jobID: id)
            }
            guard let job else { throw ValidationError("no stream has the id \(id)") }
            print("\(job.id)\t\(job.status.rawValue)")
        }
    }
}
