import AsyncHTTPClient
import Foundation
import ObjectStorage
import ObjectStorageS3

/// The real S3 server the test script runs: SeaweedFS on 127.0.0.1 with signatures enforced.
enum TestS3 {
    static let environment = ProcessInfo.processInfo.environment
    static var endpoint: String? { environment["DARKROOM_TEST_S3_ENDPOINT"] }
    static var isConfigured: Bool { endpoint != nil }
    static let accessKey = environment["DARKROOM_TEST_S3_ACCESS_KEY"] ?? ""
    static let secretKey = environment["DARKROOM_TEST_S3_SECRET_KEY"] ?? ""
    static let bucket = "darkroom-tests"

    static func configuration(secret: String = secretKey, prefix: String = "", signing: S3Configuration.PayloadSigning = .signed) -> S3Configuration {
        S3Configuration(bucket: bucket, prefix: prefix, endpoint: URL(string: endpoint!)!, region: "us-east-1",
                        addressing: .pathStyle, payloadSigning: signing,
                        credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secret))
    }

    @discardableResult
    /// Runs `body` with a store on the test bucket (created if needed) and a client it shuts down.
    static func withStore<T>(_ configuration: S3Configuration = configuration(),
                             _ body: (S3ObjectStore) async throws -> T) async throws -> T {
        let client = S3ObjectStore.makeClient()
        do {
            let store = S3ObjectStore(configuration: configuration, client: client)
            try await S3ObjectStore(configuration: Self.configuration(), client: client).createBucket()
            let result = try await body(store)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
