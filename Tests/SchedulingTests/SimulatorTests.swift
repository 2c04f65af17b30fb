import Foundation
import Testing
@testable import Scheduling

@Suite("Simulation")
struct SimulatorTests {
    @Test("at load 0.8 with a 4× speed spread, adaptive's p99 is at most half of round-robin's",
          arguments: [120, 400])  // 400 workers: past the scan limit, adaptive samples
    func adaptiveBeatsRoundRobin(workers: Int) {
        var settings = SimulationSettings()
        settings.workers = workers
        settings.speedSpread = 4
        settings.load = 0.8
        settings.jobs = workers * 60
        let simulator = Simulator(settings: settings)
        let roundRobin = simulator.run(.roundRobin), adaptive = simulator.run(.adaptive)
        #expect(adaptive.p99 <= 0.5 * roundRobin.p99, "adaptive \(adaptive.p99) s, round-robin \(roundRobin.p99) s")
        #expect(adaptive.throughput >= roundRobin.throughput)
    }

    @Test("bin-pack keeps more whole GPUs free than spread under mixed fractional requests")
    func binPackKeepsWholeGPUs() {
        var settings = SimulationSettings()
        settings.workers = 100
        settings.gpuFraction = 0.3
        settings.load = 0.6
        settings.jobs = 20_000
        let simulator = Simulator(settings: settings)
        let binPack = simulator.run(.binPack), spread = simulator.run(.spread)
        #expect(binPack.wholeGPUsFree > spread.wholeGPUsFree, "bin-pack \(binPack.wholeGPUsFree), spread \(spread.wholeGPUsFree)")
    }

    @Test("a seed gives the same run, and rows encode with the documented keys")
    func repeatableAndComplete() throws {
        var settings = SimulationSettings()
        settings.workers = 30
        settings.jobs = 3000
        settings.gpuFraction = 0.2
        settings.seed = 9
        for name in StrategyName.allCases {
            let first = Simulator(settings: settings).run(name), second = Simulator(settings: settings).run(name)
            #expect(first == second, "\(name)")
            #expect(first.throughput > 0 && first.p50 <= first.p99 && (0...1).contains(first.utilisation))
        }
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Simulator(settings: settings).run(.affinity))) as! [String: Any]
        #expect(Set(json.keys) == ["strategy", "throughput", "p50", "p99", "utilisation", "whole_gpus_free"])
    }
}
