import Foundation
import ObjectStorage
import Testing
import TestSupport

/// The shared contract, once per backend. The S3 run needs the SeaweedFS server that
/// `scripts/test-servers` starts (`make test` does); without it, that run is skipped.
@Suite("ObjectStore contract")
struct ContractTests {
    @Test("in memory", arguments: ObjectStoreContract.allCases)
    func memory(_ contractCase: ObjectStoreContract) async throws {
        try await ObjectStoreContract.run(contractCase, on: MemoryObjectStore())
    }

    @Test("local folder", arguments: ObjectStoreContract.allCases)
    func folder(_ contractCase: ObjectStoreContract) async throws {
        let root = try TemporaryFolder()
        try await ObjectStoreContract.run(contractCase, on: LocalObjectStore(root: root.path))
    }

    @Test("S3 (SeaweedFS)", .enabled(if: TestS3.isConfigured), arguments: ObjectStoreContract.allCases)
    func s3(_ contractCase: ObjectStoreContract) async throws {
        try await TestS3.withStore { store in try await ObjectStoreContract.run(contractCase, on: store) }
    }
}
