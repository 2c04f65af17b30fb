import Foundation
import Testing

@Suite("darkroom simulate")
struct SimulateCommandTests {
    @Test("--format json prints one row per strategy with the documented keys")
    func json() async throws {
        let result = try await CLI.run(["simulate", "--workers", "40", "--jobs", "4000", "--gpu-fraction", "0.25",
                                        "--speed-spread", "4", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        #expect(rows.map { $0["strategy"] as? String } == ["round-robin", "least-loaded", "adaptive", "bin-pack", "spread", "affinity"])
        #expect(rows.allSatisfy { Set($0.keys) == ["strategy", "throughput", "p50", "p99", "utilisation", "whole_gpus_free"] })
    }

    @Test("a bad flag is a usage error that names it", arguments: [
        (["--strategy", "fastest"], "--strategy"), (["--load", "0"], "--load"), (["--speed-spread", "0.5"], "--speed-spread"),
    ])
    func badFlags(arguments: [String], flag: String) async throws {
        let result = try await CLI.run(["simulate"] + arguments)
        #expect(result.status == 2)  // the CLI's usage-error code
        #expect(result.stderr.contains(flag))
    }
}
