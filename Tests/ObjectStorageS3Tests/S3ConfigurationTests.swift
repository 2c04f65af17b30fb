import Foundation
import ObjectStorage
@testable import ObjectStorageS3
import PropertyBased
import Testing

@Suite("S3 configuration and object keys")
struct S3ConfigurationTests {
    let keys = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET"]

    @Test("the URL's query wins over the environment")
    func queryWins() throws {
        let environment = keys.merging(["AWS_ENDPOINT_URL": "http://env:1", "AWS_REGION": "eu-north-1"]) { $1 }
        let configuration = try S3Configuration(
            url: "s3://media/originals/2026/?endpoint=http://127.0.0.1:8333&region=us-west-2&path_style=false&unsigned_payload=true",
            environment: environment)
        #expect(configuration.bucket == "media")
        #expect(configuration.prefix == "originals/2026")
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:8333")
        #expect(configuration.region == "us-west-2")
        #expect(configuration.addressing == .virtualHosted)
        #expect(configuration.payloadSigning == .unsigned)
        let tuned = try S3Configuration(url: "s3://media?part_size=16777216&part_concurrency=8", environment: keys)
        #expect(tuned.partSize == 16 << 20 && tuned.partConcurrency == 8)
    }

    @Test("the standard variables fill in, in the usual order")
    func environmentOrder() throws {
        var environment = keys.merging(["AWS_ENDPOINT_URL": "http://general:1", "AWS_ENDPOINT_URL_S3": "http://localhost:9000",
                                        "AWS_DEFAULT_REGION": "ap-south-1"]) { $1 }
        var configuration = try S3Configuration(url: "s3://bucket", environment: environment)
        #expect(configuration.endpoint.absoluteString == "http://localhost:9000")
        #expect(configuration.region == "ap-south-1")
        #expect(configuration.addressing == .pathStyle, "localhost endpoints default to path style")
        #expect(configuration.payloadSigning == .signed, "plain HTTP signs the payload")
        environment["AWS_REGION"] = "eu-west-3"
        environment["AWS_ENDPOINT_URL_S3"] = nil
        configuration = try S3Configuration(url: "s3://bucket", environment: environment)
        #expect(configuration.endpoint.absoluteString == "http://general:1")
        #expect(configuration.region == "eu-west-3")
    }

    @Test("without an endpoint, AWS itself, virtual-hosted and unsigned over TLS")
    func awsDefaults() throws {
        let configuration = try S3Configuration(url: "s3://bucket/p", environment: keys)
        #expect(configuration.endpoint.absoluteString == "https://s3.us-east-1.amazonaws.com")
        #expect(configuration.addressing == .virtualHosted)
        #expect(configuration.payloadSigning == .unsigned)
        #expect(configuration.credentials == S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET"))
    }

    @Test("bad URLs name what is wrong", arguments: [
        "s3://Bad_Bucket/x", "s3://ab", "s3://bucket/x?colour=blue", "s3://bucket?endpoint=ftp://x", "s3://bucket?path_style=maybe",
        "s3://bucket/a/../b", "http://bucket/x", "s3://bucket?part_size=1024", "s3://bucket?part_concurrency=0",
    ])
    func badURLs(_ url: String) {
        #expect(throws: ObjectStoreError.self) { try S3Configuration(url: url, environment: keys) }
    }

    @Test("credentials: environment, then the profile file; an explicit profile wins")
    func credentialOrder() throws {
        let file = NSTemporaryDirectory() + "darkroom-credentials-\(UUID().uuidString)"
        try """
            [default]
            aws_access_key_id = DEFAULTKEY
            aws_secret_access_key = defaultsecret

            [profile staging]
            aws_access_key_id=STAGINGKEY
            aws_secret_access_key=stagingsecret
            aws_session_token=stagingtoken
            """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let base = ["AWS_SHARED_CREDENTIALS_FILE": file]
        #expect(try S3Credentials.resolve(environment: base).accessKeyID == "DEFAULTKEY")
        #expect(try S3Credentials.resolve(environment: base.merging(["AWS_PROFILE": "staging"]) { $1 }).sessionToken == "stagingtoken")
        let withKeys = base.merging(keys) { $1 }.merging(["AWS_SESSION_TOKEN": "T"]) { $1 }
        #expect(try S3Credentials.resolve(environment: withKeys) == S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "T"))
        #expect(try S3Credentials.resolve(environment: withKeys, profile: "staging").accessKeyID == "STAGINGKEY")
        #expect(throws: ObjectStoreError.self) { try S3Credentials.resolve(environment: base, profile: "missing") }
        #expect(throws: ObjectStoreError.self) { try S3Credentials.resolve(environment: ["HOME": "/nonexistent"]) }
    }

    @Test("locations and object URLs")
    func locations() throws {
        #expect(try ObjectStoreLocation("file:./data") == .folder("./data"))
        #expect(try ObjectStoreLocation("file:///srv/images") == .folder("/srv/images"))
        #expect(try ObjectStoreLocation("memory:") == .memory)
        #expect(try ObjectStoreLocation("s3://b/p?region=x") == .s3("s3://b/p?region=x"))
        #expect(throws: ObjectStoreError.self) { try ObjectStoreLocation("ftp://x") }
        #expect(throws: ObjectStoreError.self) { try ObjectStoreLocation("file:") }
        let (store, key) = try ObjectStoreLocation.splitObjectURL("s3://bucket/photos/caf%C3%A9.jpg?endpoint=http://h:1")
        #expect(store == .s3("s3://bucket?endpoint=http://h:1"))
        #expect(key.rawValue == "photos/café.jpg")
        #expect(throws: ObjectStoreError.self) { try ObjectStoreLocation.splitObjectURL("s3://bucket") }
    }

    @Test("retry waits grow exponentially up to the cap")
    func retryCeilings() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect((1...6).map { policy.delayCeiling(afterFailures: $0) }
            == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test("any string either is a valid key or is refused with invalidKey; valid keys have clean segments")
    func keyProperty() async {
        let alphabet: [Character] = ["a", "Z", "0", "/", ".", " ", "é", "\u{7}", "\u{0}", "-", "%", "☕"]
        await propertyCheck(count: 1000, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...24)) { indices in
            let text = String(indices.map { alphabet[$0] })
            do {
                let key = try ObjectKey(text)
                #expect(key.segments.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." })
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
                #expect(SigV4Signer.encode(text, keepingSlashes: true).removingPercentEncoding == text)
            } catch {
                guard case .invalidKey? = error as? ObjectStoreError else { Issue.record("\(text): \(error)"); return }
            }
        }
    }
}
