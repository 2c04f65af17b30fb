import Foundation
import PropertyBased
import Testing
@testable import ImageService

@Suite("Multipart uploads")
struct MultipartFileTests {
    static func form(_ payload: Data, boundary: String, filename: String = "a.jpg") -> Data {
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
        body += payload + Data("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    @Test("the boundary comes from the content type, quoted or not")
    func boundary() {
        #expect(MultipartFile.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartFile.boundary(contentType: "multipart/form-data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(MultipartFile.boundary(contentType: "image/jpeg") == nil)
        #expect(MultipartFile.boundary(contentType: "multipart/form-data") == nil)
    }

    @Test("any payload comes back byte for byte from the file part")
    func roundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...255).array(of: 0...300)) { bytes in
            let payload = Data(bytes.map(UInt8.init))
            let file = MultipartFile.first(in: Self.form(payload, boundary: "----b0undary"), boundary: "----b0undary")
            #expect(file?.data == payload && file?.filename == "a.jpg" && file?.contentType == "image/jpeg")
        }
    }

    @Test("arbitrary bytes never crash the parser")
    func garbage() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...255).array(of: 0...200)) { bytes in
            let noise = Data(bytes.map(UInt8.init))
            _ = MultipartFile.first(in: noise, boundary: "x")
            _ = MultipartFile.first(in: Data("--x\r\n".utf8) + noise + Data("\r\n--x--".utf8), boundary: "x")
        }
    }
}
