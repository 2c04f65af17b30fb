import Foundation
import ObjectStorage
@testable import ObjectStorageS3
import Testing

/// The worked examples of AWS's "Signature Calculations for the Authorization Header:
/// Transferring Payload in a Single Chunk" page, signature for signature.
@Suite("SigV4 signer")
struct SigV4SignerTests {
    let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                             region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z
    let host = ("host", "examplebucket.s3.amazonaws.com")

    private func signature(_ headers: [(String, String)]) -> String {
        let authorization = headers.first { $0.0 == "Authorization" }!.1
        return String(authorization.split(separator: "=").last!)
    }

    @Test("GET object with a range")
    func getObject() {
        let headers = signer.authenticationHeaders(method: "GET", encodedPath: "/test.txt", query: [],
                                                   headers: [host, ("range", "bytes=0-9")],
                                                   payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(headers.first { $0.0 == "x-amz-date" }?.1 == "20130524T000000Z")
        #expect(headers.first { $0.0 == "Authorization" }?.1 ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("PUT object, with a path that needs encoding")
    func putObject() {
        let payload = Data("Welcome to Amazon S3.".utf8)
        let hash = SigV4Signer.hexSHA256(payload)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let headers = signer.authenticationHeaders(
            method: "PUT", encodedPath: SigV4Signer.encode("/test$file.text", keepingSlashes: true), query: [],
            headers: [host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadHash: hash, date: date)
        #expect(signature(headers) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("GET the bucket lifecycle: a query parameter with no value")
    func getLifecycle() {
        let headers = signer.authenticationHeaders(method: "GET", encodedPath: "/", query: [("lifecycle", "")],
                                                   headers: [host], payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test("list objects: query parameters are sorted")
    func listObjects() {
        let headers = signer.authenticationHeaders(method: "GET", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
                                                   headers: [host], payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test("a session token is sent and signed")
    func sessionToken() {
        let temporary = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token/+="),
                                    region: "eu-west-1")
        let headers = temporary.authenticationHeaders(method: "GET", encodedPath: "/k", query: [], headers: [host],
                                                      payloadHash: SigV4Signer.unsignedPayload, date: date)
        #expect(headers.contains { $0 == ("x-amz-security-token", "token/+=") })
        #expect(headers.contains { $0 == ("x-amz-content-sha256", "UNSIGNED-PAYLOAD") })
        let authorization = headers.first { $0.0 == "Authorization" }!.1
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(authorization.contains("/20130524/eu-west-1/s3/aws4_request"))
    }

    @Test("URI encoding keeps only unreserved characters")
    func encoding() {
        #expect(SigV4Signer.encode("a b/c~d_e.f-g", keepingSlashes: true) == "a%20b/c~d_e.f-g")
        #expect(SigV4Signer.encode("a/b+c=d&é", keepingSlashes: false) == "a%2Fb%2Bc%3Dd%26%C3%A9")
        #expect(SigV4Signer.canonicalQuery([("b", "2"), ("a", "x y"), ("a", "1")]) == "a=1&a=x%20y&b=2")
    }
}
