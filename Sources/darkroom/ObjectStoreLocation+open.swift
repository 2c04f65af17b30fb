import AsyncHTTPClient
import ObjectStorage
import ObjectStorageS3

/// Opening a location needs every backend, so it lives in the composition root.
extension ObjectStoreLocation {
    /// Opens the store. S3 settings the URL leaves out come from `environment`; `client` is
    /// used only by S3 stores and stays owned by the caller.
    func open(environment: [String: String], client: @autoclosure () -> HTTPClient) throws(ObjectStoreError) -> any ObjectStore {
        switch self {
        case .memory: return MemoryObjectStore()
        case let .folder(path): return try LocalObjectStore(root: path)
        case let .s3(url): return S3ObjectStore(configuration: try S3Configuration(url: url, environment: environment), client: client())
        }
    }
}
