import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import ImageService
import Testing
import NIOFoundationEssentialsCompat

/// The service's one error answer, whether a handler returns it or throws it.
@Suite("Service errors")
struct ServiceErrorTests {
    @Test("a thrown ServiceError is answered by Hummingbird as the same JSON, status and Retry-After")
    func thrown() async throws {
        let router = Router()
        router.get("busy") { _, _ -> Response in
            throw ServiceError(status: 503, error: "unavailable", detail: "try /later", retryAfter: 2)
        }
        let returned = ServiceError(status: 503, error: "unavailable", detail: "try /later", retryAfter: 2).response
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/busy", method: .get) { response in
                #expect(response.status.code == 503)
                #expect(response.headers[.retryAfter] == "2")
                #expect(response.headers[.contentType] == "application/json")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                #expect(body == ["error": "unavailable", "detail": "try /later"])
                #expect(response.status == returned.status)
            }
        }
    }
}
