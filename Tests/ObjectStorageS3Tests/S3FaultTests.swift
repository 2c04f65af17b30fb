import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import HummingbirdTesting
import ObjectStorage
@testable import ObjectStorageS3
import Synchronization
import Testing
import NIOHTTP1

/// Retries and error mapping, against a stand-in server that fails on purpose: no real S3
/// server can be told to answer 503 twice and then succeed.
@Suite("S3 retries and errors")
struct S3FaultTests {
    /// Counts requests per route and answers from a script.
    final class Script: Sendable {
        let calls = Mutex<[String]>([])
        func record(_ request: Request) { calls.withLock { $0.append("\(request.method) \(request.uri)") } }
        var count: Int { calls.withLock { $0.count } }
    }

    static func errorXML(_ code: String) -> ByteBuffer {
        ByteBuffer(string: "<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>scripted</Message></Error>")
    }

    func withFakeS3(_ configure: (Router<BasicRequestContext>, Script) -> Void,
                    _ body: @Sendable (S3ObjectStore, Script) async throws -> Void) async throws {
        let router = Router()
        let script = Script()
        configure(router, script)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            var configuration = S3Configuration(
                bucket: "bucket", endpoint: URL(string: "http://127.0.0.1:\(client.port!)")!, region: "us-east-1",
                addressing: .pathStyle, payloadSigning: .signed,
                credentials: S3Credentials(accessKeyID: "id", secretAccessKey: "secret"))
            configuration.retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            configuration.partSize = 5 << 20
            let http = S3ObjectStore.makeClient()
            do {
                try await body(S3ObjectStore(configuration: configuration, client: http), script)
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    @Test("503 SlowDown is retried until it passes")
    func slowDownRetried() async throws {
        try await withFakeS3({ router, script in
            router.get("bucket/flaky.txt") { request, _ in
                script.record(request)
                if script.count < 3 { return Response(status: .serviceUnavailable, body: .init(byteBuffer: Self.errorXML("SlowDown"))) }
                return Response(status: .ok, headers: [.eTag: "\"abc\"", .contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "finally")))
            }
        }) { store, script in
            let object = try await store.get(try ObjectKey("flaky.txt"))
            #expect(object.data == Data("finally".utf8))
            #expect(object.info.etag == "abc")
            #expect(script.count == 3)
        }
    }

    @Test("a 5xx that persists gives up after the attempts, as transient")
    func persistent500() async throws {
        try await withFakeS3({ router, script in
            router.get("bucket/down.txt") { request, _ in
                script.record(request)
                return Response(status: .internalServerError, body: .init(byteBuffer: Self.errorXML("InternalError")))
            }
        }) { store, script in
            let error = await #expect(throws: ObjectStoreError.self) { try await store.get(try ObjectKey("down.txt")) }
            #expect(error?.isRetryable == true)
            #expect(script.count == 4)
        }
    }

    @Test("4xx answers are never retried", arguments: [(400, "InvalidArgument"), (403, "AccessDenied"), (404, "NoSuchKey"), (409, "Conflict")])
    func clientErrorsNotRetried(status: Int, code: String) async throws {
        try await withFakeS3({ router, script in
            router.get("bucket/k") { request, _ in
                script.record(request)
                return Response(status: .init(code: status), body: .init(byteBuffer: Self.errorXML(code)))
            }
        }) { store, script in
            let error = await #expect(throws: ObjectStoreError.self) { try await store.get(try ObjectKey("k")) }
            switch (status, error) {
            case (403, .accessDenied?), (404, .notFound?), (400, .failed?), (409, .failed?): break
            default: Issue.record("\(status) became \(String(describing: error))")
            }
            #expect(script.count == 1)
        }
    }

    @Test("a refused connection is transient")
    func connectionRefused() async throws {
        var configuration = S3Configuration(bucket: "bucket", endpoint: URL(string: "http://127.0.0.1:1")!, region: "us-east-1",
                                            addressing: .pathStyle, payloadSigning: .signed,
                                            credentials: S3Credentials(accessKeyID: "id", secretAccessKey: "secret"))
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10))
        let http = S3ObjectStore.makeClient(connectTimeout: .milliseconds(300))
        let store = S3ObjectStore(configuration: configuration, client: http)
        let error = await #expect(throws: ObjectStoreError.self) { try await store.head(try ObjectKey("k")) }
        #expect(error?.isRetryable == true)
        try await http.shutdown()
    }

    @Test("a part that fails aborts the multipart upload")
    func failedPartAborts() async throws {
        try await withFakeS3({ router, script in
            router.post("bucket/big.bin") { request, _ in
                script.record(request)
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string:
                    "<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>")))
            }
            router.put("bucket/big.bin") { request, _ in
                script.record(request)
                _ = try await request.body.collect(upTo: 16 << 20)
                return Response(status: .badRequest, body: .init(byteBuffer: Self.errorXML("InvalidPart")))
            }
            router.delete("bucket/big.bin") { request, _ in
                script.record(request)
                return Response(status: .noContent)
            }
        }) { store, script in
            await #expect(throws: ObjectStoreError.self) {
                try await store.put(try ObjectKey("big.bin"), data: Data(count: 11 << 20))
            }
            let calls = script.calls.withLock { $0 }
            #expect(calls.first?.hasPrefix("POST /bucket/big.bin?uploads") == true, "\(calls)")
            #expect(calls.last == "DELETE /bucket/big.bin?uploadId=up-1", "\(calls)")
        }
    }

    @Test("path-style and virtual-hosted URLs")
    func addressing() throws {
        var configuration = S3Configuration(bucket: "photos", endpoint: URL(string: "https://s3.eu-west-1.amazonaws.com")!,
                                            region: "eu-west-1", addressing: .virtualHosted, payloadSigning: .unsigned,
                                            credentials: S3Credentials(accessKeyID: "id", secretAccessKey: "secret"))
        let request = S3Request(method: .GET, key: "a b/c.jpg", query: [("x-id", "GetObject")])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { try? http.syncShutdown() }
        let virtual = S3ObjectStore(configuration: configuration, client: http).target(for: request)
        #expect(virtual.url == "https://photos.s3.eu-west-1.amazonaws.com/a%20b/c.jpg?x-id=GetObject")
        configuration.addressing = .pathStyle
        configuration.endpoint = URL(string: "http://127.0.0.1:8333")!
        let path = S3ObjectStore(configuration: configuration, client: http).target(for: request)
        #expect(path.url == "http://127.0.0.1:8333/photos/a%20b/c.jpg?x-id=GetObject")
        #expect(path.host == "127.0.0.1:8333")
    }
}
