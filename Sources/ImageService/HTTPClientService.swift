public import AsyncHTTPClient
public import ServiceLifecycle

/// Owns the HTTP client that fetches remote sources, and shuts it down with the service group.
public struct HTTPClientService: Service {
    let client: HTTPClient

    /// Wraps `client`.
    public init(client: HTTPClient) { self.client = client }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
