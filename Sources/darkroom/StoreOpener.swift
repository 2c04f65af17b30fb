import AsyncHTTPClient
import Foundation
import ObjectStorage
import ObjectStorageS3

/// Opens the object stores a command names, sharing one HTTP client among the S3 ones.
/// The command calls ``shutdown()`` when it is done.
final class StoreOpener {
    private let environment: [String: String]
    private var client: HTTPClient?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The store at `location`.
    func open(_ location: ObjectStoreLocation) throws(ObjectStoreError) -> any ObjectStore {
        try location.open(environment: environment, client: self.httpClient())
    }

    /// The store and key an object URL (`s3://bucket/key`) names.
    func open(objectURL: String) throws(ObjectStoreError) -> (store: any ObjectStore, key: ObjectKey) {
        let (location, key) = try ObjectStoreLocation.splitObjectURL(objectURL)
        return (try open(location), key)
    }

    /// Shuts the HTTP client down, if one was made.
    func shutdown() async {
        try? await client?.shutdown()
        client = nil
    }

    private func httpClient() -> HTTPClient {
        if let client { return client }
        let made = S3ObjectStore.makeClient()
        client = made
        return made
    }

    /// Whether `text` names an object rather than a local path.
    static func isObjectURL(_ text: String) -> Bool { text.lowercased().hasPrefix("s3://") }
}
