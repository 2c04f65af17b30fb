import Foundation
import JobQueue
import Testing
import TestSupport

@Suite("JobQueue contract")
struct ContractTests {
    @Test("in memory", arguments: JobQueueContract.allCases)
    func memory(_ contractCase: JobQueueContract) async throws {
        try await JobQueueContract.run(contractCase) { clock, backoff, random in
            MemoryJobQueue(clock: clock, backoff: backoff, random: random)
        }
    }

    @Test("SQLite", arguments: JobQueueContract.allCases)
    func sqlite(_ contractCase: JobQueueContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-queue-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await JobQueueContract.run(contractCase) { clock, backoff, random in
            try SQLiteJobQueue(path: folder + "/queue.db", clock: clock, backoff: backoff, random: random)
        }
    }
}
