import ArgumentParser
import Foundation
import JobQueue
import Logging
import PostgresNIO

/// `darkroom queue`: look at and measure a job queue.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure a job queue (SQLite or PostgreSQL).",
        subcommands: [Bench.self])

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enqueue no-op jobs, then claim and complete them with N workers: one JSON line with jobs/s and claim latency.",
            discussion: """
                The jobs go to a queue of their own (bench-<random>), so a live queue is not disturbed.

                Example:
                  darkroom queue bench --queue sqlite:/tmp/bench.db --jobs 5000 --workers 8
                """)

        @OptionGroup var options: QueueOption
        @Option(help: "Jobs to run.") var jobs: Int = 2000
        @Option(help: "Workers claiming at once.") var workers: Int = 2
        @Option(help: "Jobs one claim takes, and one complete finishes (as `darkroom worker` claims for its free slots).")
        var batch: Int = 1

        func validate() throws {
            guard jobs > 0, (1...256).contains(workers), (1...1000).contains(batch) else {
                throw ValidationError("--jobs ≥ 1, --workers 1...256 and --batch 1...1000")
            }
        }

        func run() async throws {
            let workers = workers
            try await options.with(connections: workers + 2) { queue in
                try await measure(queue)
            }
        }

        private func measure(_ queue: any JobQueue) async throws {
            let name = "bench-\(UUID().uuidString.prefix(8))"
            let enqueueStart = ContinuousClock.now
            for _ in 0..<jobs { _ = try await queue.enqueue(NewJob(queue: name, payload: Data("{}".utf8))) }
            let enqueueTime = ContinuousClock.now - enqueueStart
            let runStart = ContinuousClock.now
            let batch = batch
            // Each claim call's latency, and the jobs it took.
            let calls = try await withThrowingTaskGroup(of: [(Duration, Int)].self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        var claims: [(Duration, Int)] = []
                        while true {
                            let start = ContinuousClock.now
                            let leases = try await queue.claim(from: name, limit: batch, leaseFor: .seconds(60))
                            if leases.isEmpty { break }
                            claims.append((ContinuousClock.now - start, leases.count))
                            let lost = try await queue.complete(leases.map { JobCompletion(lease: $0, result: nil) })
                            guard lost.isEmpty else { throw ValidationError("lost \(lost.count) leases") }
                        }
                        return claims
                    }
                }
                return try await group.reduce([], +)
            }
            let runTime = ContinuousClock.now - runStart
            let ran = calls.map(\.1).reduce(0, +)
            guard ran == jobs else { throw ValidationError("ran \(ran) of \(jobs) jobs") }
            let latencies = calls.map(\.0).sorted()
            func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
            func rate(_ d: Duration) -> Double { Double(jobs) / (ms(d) / 1000) }
            print(String(format: "{\"jobs\": %d, \"workers\": %d, \"batch\": %d, \"enqueue_per_s\": %.0f, \"jobs_per_s\": %.0f, \"claim_p50_ms\": %.2f, \"claim_p99_ms\": %.2f}",
                         jobs, workers, batch, rate(enqueueTime), rate(runTime), ms(latencies[latencies.count / 2]),
                         ms(latencies[min(latencies.count - 1, latencies.count * 99 / 100)])))
        }
    }
}
