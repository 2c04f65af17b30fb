import ArgumentParser
import Foundation
import JobQueue
import Logging
import Pipelines

/// `darkroom jobs`: look at and act on jobs in the queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, show, retry and cancel jobs.",
        subcommands: [List.self, Show.self, Retry.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first: id, status, attempts, pipeline, source.")
        @OptionGroup var options: QueueOption
        @Option(help: "Only jobs with this status (queued, running, completed, dead, cancelled).") var status: String?
        @Option(help: "The queue's name.") var name: String = PipelineJob.queue
        @Option(help: "At most this many.") var limit: Int = 50

        func run() async throws {
            var wanted: JobStatus?
            if let status {
                guard let parsed = JobStatus(rawValue: status) else {
                    throw ValidationError("--status: expected one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                wanted = parsed
            }
            let (name, limit, only) = (name, limit, wanted)
            let jobs = try await options.with { queue in try await queue.list(queue: name, status: only, limit: limit) }
            for job in jobs {
                let payload = try? PipelineJob(payload: job.payload)
                print([job.id, job.status.rawValue, "\(job.attempts)/\(job.maxAttempts)", payload?.pipeline ?? "-",
                       payload?.source ?? "-"].joined(separator: "\t"))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one job as JSON, with its result.")
        @OptionGroup var job: JobTarget

        func run() async throws { try await job.printJob { queue, id in try await queue.job(id: id) } }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a dead job back in the queue with fresh attempts.")
        @OptionGroup var job: JobTarget

        func run() async throws { try await job.printJob(audited: "job.retry") { queue, id in try await queue.retry(deadJobID: id) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job that has not finished.")
        @OptionGroup var job: JobTarget

        func run() async throws { try await job.printJob(audited: "job.cancel") { queue, id in try await queue.cancel(jobID: id) } }
    }

    /// One job of the queue, by id: what `show`, `retry` and `cancel` act on.
    struct JobTarget: ParsableArguments {
        @OptionGroup var options: QueueOption
        @Argument(help: "The job id.") var id: String

        /// Does `action` to the job and prints it as it then is; a missing job is a usage error.
        func printJob(_ action: @escaping @Sendable (any JobScheduling, String) async throws -> Job?) async throws {
            let id = id
            guard let job = try await options.with({ queue in try await action(queue, id) }) else {
                throw ValidationError("no job \(id)")
            }
            print(JobsCommand.json(job))
        }

        /// ``printJob(_:)`` for an action that changes the job, recorded in the audit log as `action`
        /// (as the HTTP API records it) where the queue keeps one.
        func printJob(audited action: String,
                      _ change: @escaping @Sendable (any JobScheduling, String) async throws -> Job?) async throws {
            try await printJob { queue, id in
                let job = try await change(queue, id)
                try await (queue as? any AccessStore)?.recordAudit(AuditEntry(actor: "cli", action: action, target: id))
                return job
            }
        }
    }

    /// A job as one JSON object, as the HTTP API shows it.
    static func json(_ job: Job) -> String {
        let data = (try? WireFormat.encoder(pretty: true).encode(JobView(job))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
