import ImageModel
import Testing

@Suite("Values")
struct ValuesTests {
    @Test("colours read and write hex")
    func colours() {
        #expect(Color(hex: "ff8000") == Color(red: 255, green: 128, blue: 0))
        #expect(Color(hex: "#ff800080")?.alpha == 128)
        #expect(Color(hex: "ff80") == nil && Color(hex: "gg0000") == nil)
        #expect(Color(red: 1, green: 2, blue: 3).hex == "010203")
        #expect(Color.transparent.hex == "00000000")
    }

    @Test("bytes become two lower-case hex digits each")
    func hexDigits() {
        #expect([UInt8]().hexDigits == "")
        #expect([0x00, 0x0F, 0xA5, 0xFF, 0x10].hexDigits == "000fa5ff10")
        #expect((0...255).map(UInt8.init).hexDigits.count == 512)
    }

    @Test("gravity places a box inside another")
    func gravityOffsets() {
        let inner = (width: 20, height: 10), outer = (width: 100, height: 50)
        #expect(Gravity.centre.offset(inner: inner, outer: outer) == (40, 20))
        #expect(Gravity.northWest.offset(inner: inner, outer: outer) == (0, 0))
        #expect(Gravity.southEast.offset(inner: inner, outer: outer) == (80, 40))
        #expect(Gravity.east.offset(inner: inner, outer: outer) == (80, 20))
        #expect(Gravity.focusPoint(x: 0, y: 1).offset(inner: inner, outer: outer) == (0, 40))
        #expect(Gravity.focusPoint(x: 0.5, y: 0.5).offset(inner: inner, outer: outer) == (40, 20))
    }

    @Test("output formats read names and extensions")
    func formats() {
        #expect(OutputFormat(name: "JPG") == .jpeg && OutputFormat(name: "tif") == .tiff)
        #expect(OutputFormat(name: "bmp") == nil)
        #expect(OutputFormat.webp.mimeType == "image/webp" && OutputFormat.jpeg.fileExtension == "jpg")
    }

    @Test("limits name the limit and its value")
    func limits() {
        let limits = Limits(maxInputBytes: 100, maxInputPixels: 1000, maxOutputSide: 50, maxFrames: 2)
        #expect(throws: LimitError(limit: "max-src-bytes", maximum: 100, actual: 101)) { try limits.checkInput(bytes: 101) }
        #expect(throws: LimitError(limit: "max-src-pixels", maximum: 1000, actual: 1001 * 1)) {
            try limits.checkInput(width: 1001, height: 1, frames: 1)
        }
        #expect(throws: LimitError(limit: "max-frames", maximum: 2, actual: 3)) { try limits.checkInput(width: 1, height: 1, frames: 3) }
        #expect(throws: LimitError(limit: "max-output-side", maximum: 50, actual: 51)) { try limits.checkOutput(width: 51, height: 1) }
        #expect(throws: LimitError.self) { try limits.checkInput(width: Int.max, height: 3, frames: 1) }
        #expect(LimitError(limit: "max-src-pixels", maximum: 50_000_000, actual: 2_500_000_000).description
                == "max-src-pixels is 50000000, but the image has 2500000000")
    }
}
