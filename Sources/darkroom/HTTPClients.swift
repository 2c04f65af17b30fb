import ImageSources
import AsyncHTTPClient
import ImageService
import ObjectStorage
import ObjectStorageS3

/// The two HTTP clients a long-running command needs (remote sources and webhooks; S3), shut
/// down when `body` ends, however it ends: a client dropped without a shutdown traps.
func withHTTPClients<T>(_ body: (_ http: HTTPClient, _ s3: HTTPClient) async throws -> T) async throws -> T {
    let http = HTTPSourceFetcher.makeClient()
    let s3 = S3ObjectStore.makeClient()
    do {
        let result = try await body(http, s3)
        try? await http.shutdown()
        try? await s3.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        try? await s3.shutdown()
        throw error
    }
}
