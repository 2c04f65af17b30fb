import Foundation
import JobQueue
import JobQueuePostgres
import JobQueueSQLite
import Testing
import TestSupport

@Suite("JobScheduling contract")
struct JobSchedulingContractTests {
    @Test("every backend", arguments: QueueBackend.available, JobSchedulingContract.allCases)
    func contract(_ backend: QueueBackend, _ contractCase: JobSchedulingContract) async throws {
        try await backend.run { open, prepare in
            try await JobSchedulingContract.run(contractCase, make: { clock in try open(clock, RetryBackoff(), { 0.5 }) },
                                     prepare: prepare)
        }
    }
}
