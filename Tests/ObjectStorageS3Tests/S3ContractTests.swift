import Foundation
import ObjectStorage
import ObjectStorageS3
import Testing
import TestSupport

/// The shared ObjectStore contract against a real S3 server: the SeaweedFS that
/// `scripts/test-servers` starts (`make test` does); without it, this run is skipped.
@Suite("ObjectStore contract on S3")
struct S3ContractTests {
    @Test("S3 (SeaweedFS)", .enabled(if: TestS3.isConfigured), arguments: ObjectStoreContract.allCases)
    func s3(_ contractCase: ObjectStoreContract) async throws {
        try await TestS3.withStore { store in try await ObjectStoreContract.run(contractCase, on: store) }
    }
}
