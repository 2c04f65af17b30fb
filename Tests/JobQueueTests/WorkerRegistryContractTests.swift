import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Testing
import TestSupport

@Suite("WorkerRegistry contract")
struct WorkerRegistryContractTests {
    @Test("every backend", arguments: QueueBackend.available, WorkerRegistryContract.allCases)
    func contract(_ backend: QueueBackend, _ contractCase: WorkerRegistryContract) async throws {
        try await backend.run { open, prepare in
            try await WorkerRegistryContract.run(contractCase, make: { clock in try open(clock, RetryBackoff(), { 0.5 }) },
                                     prepare: prepare)
        }
    }
}
