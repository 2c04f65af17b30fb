import Testing
import TestSupport
@testable import Vips

@Suite("Thumbnail sizing")
struct ThumbnailSizeTests {
    @Test("down only shrinks, up only enlarges, both does either")
    func directions() throws {
        let data = try Fixtures.data("natural/rocket.jpg") // 640×427
        #expect(try VipsImage.thumbnail(data, width: 200, height: 200, size: .down).width == 200)
        #expect(try VipsImage.thumbnail(data, width: 1000, height: 1000, size: .down).width == 640)
        #expect(try VipsImage.thumbnail(data, width: 200, height: 200, size: .up).width == 640)
        #expect(try VipsImage.thumbnail(data, width: 1000, height: 1000, size: .up).width == 1000)
        let image = try VipsImage.load(data)
        #expect(try image.thumbnail(width: 100, height: 100, size: .both).width == 100)
        #expect(try image.thumbnail(width: 1280, height: 1280, size: .both).width == 1280)
    }
}
