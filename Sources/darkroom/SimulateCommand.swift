import ArgumentParser
import Foundation
import Scheduling

/// `darkroom simulate`: the placement strategies on a simulated cluster.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the scheduling strategies on a simulated cluster and compare them.",
        discussion: """
            A discrete-event simulation that drives the same strategy code the scheduler uses,
            with simulated time. Prints, per strategy: throughput (jobs per simulated second),
            job latency p50 and p99 (simulated seconds), utilisation, and GPUs left whole.

            Example:
              darkroom simulate --workers 200 --speed-spread 4 --load 0.8 --jobs 100000
            """)

    @Option(help: "Workers in the cluster.") var workers = 100
    @Option(help: "Share of workers with GPUs (and of jobs asking for part of one), 0...1.") var gpuFraction = 0.0
    @Option(help: "Fastest worker's speed ÷ slowest's.") var speedSpread = 1.0
    @Option(help: "Offered load as a share of capacity, 0 < L < 1.5.") var load = 0.8
    @Option(help: "Jobs to simulate.") var jobs = 100_000
    @Option(help: "all, or one of \(StrategyName.allCases.map(\.rawValue).joined(separator: ", ")).") var strategy = "all"
    @Option(help: "Random seed: the same seed gives the same run.") var seed: UInt64 = 1
    @Option(help: "table or json.") var format = "table"

    func validate() throws {
        guard workers >= 1, workers <= 1_000_000 else { throw ValidationError("--workers: expected 1...1000000") }
        guard (0...1).contains(gpuFraction) else { throw ValidationError("--gpu-fraction: expected 0...1") }
        guard speedSpread >= 1 else { throw ValidationError("--speed-spread: expected ≥ 1") }
        guard load > 0, load < 1.5 else { throw ValidationError("--load: expected 0 < L < 1.5") }
        guard jobs >= 1, jobs <= 100_000_000 else { throw ValidationError("--jobs: expected 1...100000000") }
        guard strategy == "all" || StrategyName(rawValue: strategy) != nil else {
            throw ValidationError("--strategy: expected all or one of \(StrategyName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["table", "json"].contains(format) else { throw ValidationError("--format: expected table or json") }
    }

    func run() throws {
        var settings = SimulationSettings()
        settings.workers = workers
        settings.gpuFraction = gpuFraction
        settings.speedSpread = speedSpread
        settings.load = load
        settings.jobs = jobs
        settings.seed = seed
        let simulator = Simulator(settings: settings)
        let names = strategy == "all" ? StrategyName.allCases : [StrategyName(rawValue: strategy)!]
        var rows: [(SimulationReport, Double)] = []
        for name in names {
            let started = ContinuousClock.now
            let report = simulator.run(name)
            let elapsed = (ContinuousClock.now - started).components
            rows.append((report, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18))
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows.map(\.0)), as: UTF8.self))
            return
        }
        print("\(workers) workers, \(jobs) jobs, load \(load), speed spread \(speedSpread)×, GPU fraction \(gpuFraction), seed \(seed)\n")
        print("| strategy | jobs/s | p50 s | p99 s | utilisation | whole GPUs free | wall s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for (report, wall) in rows {
            print(String(format: "| %@ | %.1f | %.3f | %.3f | %.2f | %.1f | %.1f |", report.strategy, report.throughput,
                         report.p50, report.p99, report.utilisation, report.wholeGPUsFree, wall))
        }
    }
}
