import Foundation
import ImageModel
import PropertyBased
import Testing

@Suite("Processing URL paths")
struct ProcessingPathTests {
    @Test("plain sources with an extension, and what the signature covers")
    func plain() throws {
        let path = try ProcessingPath.parse("/sig/rs:fill:300:200/q:80/plain/local:///photos/a%20b.jpg@webp")
        #expect(path.signature == "sig" && path.options == "rs:fill:300:200/q:80")
        #expect(path.source == "local:///photos/a b.jpg" && path.outputExtension == "webp")
        #expect(path.signedPath == "/rs:fill:300:200/q:80/plain/local:///photos/a%20b.jpg@webp")
        #expect(!path.isInfo)
    }

    @Test("base64url sources, info requests and sources with @ in them")
    func encoded() throws {
        let source = "https://example.com/images/curiosity.jpg"
        let path = try ProcessingPath.parse("/sig/rs:fit:10:10/\(Base64URL.encode(Data(source.utf8))).png")
        #expect(path.source == source && path.outputExtension == "png")
        let info = try ProcessingPath.parse("/unsafe/info/plain/local:///x.jpg")
        #expect(info.isInfo && info.options.isEmpty)
        let at = try ProcessingPath.parse("/unsafe/plain/local:///me@2x.png")
        #expect(at.source == "local:///me@2x.png" && at.outputExtension == nil)
    }

    @Test("malformed paths name what is wrong", arguments: ["", "nosl", "/sig", "/sig/rs:fit:1:1/plain/", "/sig/%%%", "/sig/plain/x.jpg@bmp"])
    func malformed(path: String) {
        #expect(throws: RecipeError.self) { try ProcessingPath.parse(path) }
    }

    @Test("any source survives base64url encoding in a path")
    func base64RoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000_000).array(of: 1...60)) { values in
            let source = "local:///" + String(values.map { Character(UnicodeScalar(UInt8(32 + $0 % 94))) })
            let path = try? ProcessingPath.parse("/unsafe/rs:fit:5:5/\(Base64URL.encode(Data(source.utf8)))")
            #expect(path?.source == source)
            #expect(path?.options == "rs:fit:5:5")
        }
    }
}
