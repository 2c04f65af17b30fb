import Foundation
import ObjectStorage
import Testing
import TestSupport

/// The shared contract, once per backend in this target (the S3 run is in ObjectStorageS3Tests).
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
}
