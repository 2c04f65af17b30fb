import Foundation
public import JobQueue
import Scheduling

/// The behaviour every ``WorkerRegistry`` backend must share (they live in the queue's own
/// database), on a manual clock.
public enum WorkerRegistryContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case registerAndList, heartbeats, deadWorkersJobsReturn, deregister, drain

    public var description: String { rawValue }

    public typealias Backend = JobQueue & WorkerRegistry
    public typealias Factory = @Sendable (ManualJobClock) throws -> any Backend

    /// Runs `contractCase` against a fresh backend from `make`, after `prepare`.
    public static func run(_ contractCase: WorkerRegistryContract, make: Factory,
                           prepare: (any Backend) async throws -> Void = { _ in }) async throws {
        let clock = ManualJobClock()
        let registry = try make(clock)
        try await prepare(registry)
        let gpu = WorkerRecord.GPU(index: 0, model: "simulated", memoryMB: 16_000)
        let first = WorkerRecord(id: "w1", host: "node-a", pid: 101, version: "1.0", labels: ["zone": "a"], slots: 4,
                                 memoryMB: 8192, gpus: [gpu], now: clock.now())
        let second = WorkerRecord(id: "w2", host: "node-b", pid: 202, version: "1.0", slots: 2, now: clock.now())

        switch contractCase {
        case .drain:
            try await registry.register(first)
            try ContractFailure.check(try await registry.requestDrain(workerID: "w1"), "a live worker can be asked to drain")
            try ContractFailure.check(!(try await registry.requestDrain(workerID: "nope")), "an unknown worker cannot")
            _ = try await registry.heartbeat(workerID: "w1", load: WorkerRecord.Load(inFlight: 1))
            try ContractFailure.check(try await registry.workers().first?.drainRequested == true, "the request outlives a heartbeat")
            try await registry.register(first)
            try ContractFailure.check(try await registry.workers().first?.drainRequested == nil, "registering again (a restart) clears it")
        case .registerAndList:
            try await registry.register(second)
            try await registry.register(first)
            let listed = try await registry.workers()
            try ContractFailure.check(listed.map(\.id) == ["w1", "w2"], "workers are listed by id (\(listed.map(\.id)))")
            try ContractFailure.check(listed[0].gpus == [gpu] && listed[0].labels == ["zone": "a"] && listed[0].slots == 4
                                      && listed[0].host == "node-a" && listed[0].pid == 101 && listed[0].alive,
                                      "a worker's capacity and identity come back as registered")
            var restarted = first
            restarted.pid = 999
            try await registry.register(restarted)
            let again = try await registry.workers()
            try ContractFailure.check(again.count == 2 && again[0].pid == 999, "registering a known id replaces it")

        case .heartbeats:
            try await registry.register(first)
            clock.advance(.seconds(5))
            let alive = try await registry.heartbeat(workerID: "w1", load: .init(inFlight: 3, cpuUtilisation: 0.75))
            let listed = try await registry.workers()
            try ContractFailure.check(alive && listed[0].load == .init(inFlight: 3, cpuUtilisation: 0.75),
                                      "a heartbeat records the load")
            try ContractFailure.check(abs(listed[0].lastSeen.timeIntervalSince(clock.now())) < 0.01, "and the time")
            try ContractFailure.check(try await registry.heartbeat(workerID: "nobody", load: .init()) == false,
                                      "an unknown worker's heartbeat is refused")

        case .deadWorkersJobsReturn:
            try await registry.register(first)
            try await registry.register(second)
            let job = try await registry.enqueue(NewJob(queue: "work", payload: Data("{}".utf8)))
            let lease = try await registry.claim(from: "work", limit: 1, leaseFor: .seconds(600), by: Claimant(workerID: "w1"))
            try ContractFailure.check(lease.first?.job.claimedBy == "w1", "a claim records the worker")
            clock.advance(.seconds(30))
            _ = try await registry.heartbeat(workerID: "w2", load: .init())
            let dead = try await registry.sweepDeadWorkers(missing: 3)
            try ContractFailure.check(dead == ["w1"], "a worker silent past the cutoff is marked dead (\(dead))")
            try ContractFailure.check(try await registry.sweepDeadWorkers(missing: 3).isEmpty,
                                      "once")
            try ContractFailure.check(try await registry.heartbeat(workerID: "w1", load: .init()) == false,
                                      "a dead worker's heartbeat is refused, so it registers again")
            let listed = try await registry.workers()
            try ContractFailure.check(listed.map(\.id) == ["w2", "w1"] && !listed[1].alive, "live workers first, then the dead")
            // Its job returns long before its 10-minute lease would have run out.
            let again = try await registry.claim(from: "work", limit: 1, leaseFor: .seconds(600), by: Claimant(workerID: "w2"))
            try ContractFailure.check(again.first?.job.id == job.id && again.first?.job.attempts == 2,
                                      "the dead worker's job goes to another worker, its attempt counted")
            // Each worker is judged by its own heartbeat period.
            var patient = WorkerRecord(id: "w3", host: "node-c", pid: 303, version: "1.0", slots: 1, now: clock.now())
            patient.heartbeatSeconds = 20
            try await registry.register(patient)
            clock.advance(.seconds(30))
            _ = try await registry.heartbeat(workerID: "w2", load: .init())
            try ContractFailure.check(try await registry.sweepDeadWorkers(missing: 3).isEmpty,
                                      "a worker beating every 20 s is not dead after 30 s of silence")
            clock.advance(.seconds(31))
            _ = try await registry.heartbeat(workerID: "w2", load: .init())
            try ContractFailure.check(try await registry.sweepDeadWorkers(missing: 3) == ["w3"], "but it is after three of its periods")

        case .deregister:
            try await registry.register(first)
            try await registry.deregister(workerID: "w1")
            try ContractFailure.check(try await registry.workers().isEmpty, "a worker that stops cleanly is gone")
        }
    }
}
