import Foundation
import HummingbirdTesting
import ImageService
import Synchronization
import Testing
import HTTPTypes

@Suite("Readiness")
struct ReadinessTests {
    /// A dependency the test switches between answering, failing and hanging.
    final class Dependency: Sendable {
        enum Mode { case answers, fails, hangs }
        let mode = Mutex(Mode.answers)

        func probe() async throws {
            switch mode.withLock({ $0 }) {
            case .answers: return
            case .fails: throw POSIXError(.ECONNREFUSED)
            case .hangs: try await Task.sleep(for: .seconds(60))
            }
        }
    }

    @Test("/ready says starting before the first check, ready after, and unavailable with the failing dependency's name while it fails or hangs")
    func followsDependencies() async throws {
        let queue = Dependency(), storage = Dependency()
        let monitor = ReadinessMonitor(checks: [
            ReadinessCheck(name: "queue", location: "postgres://db/queue") { try await queue.probe() },
            ReadinessCheck(name: "storage", location: "s3://bucket") { try await storage.probe() },
        ], timeout: .milliseconds(200))
        let harness = try ServiceHarness.make(readiness: monitor)
        try await harness.test { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.json["status"] as? String == "starting")
            }
            await monitor.checkNow()
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ready")
            }
            queue.mode.withLock { $0 = .fails }
            storage.mode.withLock { $0 = .hangs }
            let started = ContinuousClock.now
            await monitor.checkNow()
            // The hang lasts 60 s; giving up is at the 200-ms timeout, plus whatever a loaded machine adds.
            #expect(ContinuousClock.now - started < .seconds(30), "a hanging dependency is given up on at the timeout")
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.json["status"] as? String == "unavailable")
                #expect(response.json["failing"] as? [String] == ["queue", "storage"])
                #expect(!response.text.contains("postgres://"), "where the database is stays in the log")
            }
            #expect(monitor.status.failing["queue"]?.contains("postgres://db/queue") == true)
            #expect(monitor.status.failing["storage"]?.contains("did not answer within") == true)
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok, "liveness does not follow the dependencies: restarting would not help")
            }
            queue.mode.withLock { $0 = .answers }
            storage.mode.withLock { $0 = .answers }
            await monitor.checkNow()
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("waiting at start gives up after its limit and names what did not answer")
    func startupGivesUp() async throws {
        let storage = Dependency()
        storage.mode.withLock { $0 = .fails }
        let monitor = ReadinessMonitor(checks: [
            ReadinessCheck(name: "storage", location: "s3://bucket") { try await storage.probe() },
        ], interval: .milliseconds(50), timeout: .milliseconds(100))
        let error = await #expect(throws: ReadinessError.self) { try await monitor.waitUntilReady(within: .milliseconds(300)) }
        #expect(error?.failing.keys.sorted() == ["storage"])
        #expect(error?.description.contains("s3://bucket") == true)
        storage.mode.withLock { $0 = .answers }
        try await monitor.waitUntilReady(within: .milliseconds(300))
        #expect(monitor.status.isReady)
    }
}
