import ArgumentParser
import Foundation
import JobQueue
import Pipelines
import Logging
import Scheduling

/// `darkroom workers`: the workers registered in the queue's database.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List the registered workers: id, liveness, host, pid, jobs in flight/slots, GPUs, and which one schedules.",
        discussion: "Live workers first. --json prints them as GET /v1/workers does.")

    @OptionGroup var options: QueueOption
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (workers, leader) = try await options.with { queue in
            (try await queue.workers(), try await queue.leader())
        }
        if json {
            let data = try WireFormat.encoder(pretty: true).encode(WorkersView(workers, leader: leader))
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for worker in workers {
            let gpus = worker.gpus.map { "\($0.index):\($0.model):\($0.memoryMB)" }.joined(separator: ",")
            print([worker.id, worker.alive ? "alive" : "dead", worker.host, "\(worker.pid)", "\(worker.load.inFlight)/\(worker.slots)",
                   gpus.isEmpty ? "-" : gpus, worker.id == leader?.holder ? "scheduler" : "-"].joined(separator: "\t"))
        }
    }
}
