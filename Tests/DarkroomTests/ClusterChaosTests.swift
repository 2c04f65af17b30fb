import Foundation
import Testing

/// A real cluster on the loopback (scripts/cluster: PostgreSQL, SeaweedFS, two serve nodes behind
/// HAProxy, three workers) under load while parts of it fail (Tests/Cluster/chaos.py), and a
/// local store on a small tmpfs filling up. Every criterion is checked in the script, which
/// reports its measurements; this test fails on any problem it names.
@Suite("Cluster chaos")
struct ClusterChaosTests {
    static var missing: String? {
        if getuid() != 0 { return "the disk-full case mounts a tmpfs, and PostgreSQL runs as its own user: needs root, as CI runs" }
        for tool in ["haproxy", "wrk"] where DeploymentTests.which(tool) == nil && !FileManager.default.isExecutableFile(atPath: "/usr/sbin/\(tool)") {
            return "\(tool) is not installed (scripts/bootstrap installs it)"
        }
        return nil
    }

    @Test("a serve node killed under wrk, a worker killed holding a job, PostgreSQL restarted and SeaweedFS stopped mid-batch, and a full disk: no lost job, no 5xx past the health check",
          .enabled(if: missing == nil, Comment(rawValue: missing ?? "")))
    func chaos() async throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try await CLI.run([DeploymentTests.deploy.deletingLastPathComponent().appendingPathComponent("Cluster/chaos.py").path,
                                        CLI.executable.path, scratch.path],
                                       executable: URL(fileURLWithPath: "/usr/bin/python3"), timeout: .seconds(900))
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr.suffix(3000))")
        for scenario in ["serve_kill", "worker_kill", "seaweedfs_stop", "postgres_restart", "disk_full"] {
            let outcome = report[scenario] as? [String: Any]
            #expect(outcome != nil, "\(scenario) ran")
            let problems = outcome?["problems"] as? [String] ?? []
            #expect(problems.isEmpty, "\(scenario): \(problems) — logs: \(report["log_tails"] ?? "")")
        }
        #expect(report["cluster"] == nil, "\(report["cluster"] ?? "")")
        print("cluster chaos:", String(decoding: result.stdout, as: UTF8.self).prefix(4000))
    }
}
