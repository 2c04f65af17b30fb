import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("DICOM sources through recipes")
struct DICOMProcessingTests {
    @Test("a CT slice, windowed for the lungs and resized, becomes an 8-bit grey PNG")
    func windowedPreview() async throws {
        let (result, image) = try await Harness.run("rs:fit:64:64/dw:lung/f:png", on: try Fixtures.data("dicom/CT_small.dcm"))
        #expect(result.format == .png)
        #expect((image.width, image.height, image.bands) == (64, 64, 1))
        #expect(image.bandFormat == .uchar)
        // Lung window on a CT: air is dark but not clipped everywhere; bone is white.
        let values = try image.pixelBytes()
        #expect(values.contains(255) && Set(values).count > 50)
    }

    @Test("depth:16 keeps the stored values in a 16-bit PNG, resized")
    func sixteenBits() async throws {
        let source = try Fixtures.data("dicom/MR_small.dcm")
        let (result, image) = try await Harness.run("dw:none/depth:16/f:png", on: source)
        #expect(image.bandFormat == .ushort)
        // The PNG header's bit depth (byte 24).
        #expect(result.data[result.data.startIndex + 24] == 16)
        let (_, resized) = try await Harness.run("rs:fit:32:32/dw:none/depth:16/f:tiff", on: source)
        #expect((resized.width, resized.bandFormat) == (32, .ushort))
    }

    @Test("a frame past the last, a codec the toolkit lacks and absurd dimensions are refused, the last before decoding")
    func refusals() async throws {
        let pair = try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm")
        let (_, second) = try await Harness.run("fr:1/f:png", on: pair)
        #expect(try Harness.pixel(second, 0, 0) == [0, 255, 255])
        await #expect { try await Harness.run("fr:2/f:png", on: pair) } throws: { error in
            guard case let .unsupportedFormat(detail) = error as? ProcessingError else { return false }
            return detail.contains("0 to 1")
        }
        await #expect { try await Harness.run("f:png", on: try Fixtures.data("dicom/JPEG2000.dcm")) } throws: { error in
            guard case let .unsupportedFormat(detail) = error as? ProcessingError else { return false }
            return detail.contains("JPEG 2000")
        }
        // Rows and Columns (US, explicit little endian) set to 65,535: 4.3 gigapixels claimed by 10 kB.
        var huge = [UInt8](try Fixtures.data("dicom/MR_small.dcm"))
        for element: UInt8 in [0x10, 0x11] {
            let tag: [UInt8] = [0x28, 0x00, element, 0x00, 0x55, 0x53, 0x02, 0x00]
            let at = try #require((0..<(huge.count - 10)).first { Array(huge[$0..<($0 + 8)]) == tag })
            huge[at + 8] = 0xFF
            huge[at + 9] = 0xFF
        }
        await #expect(throws: ProcessingError.limitExceeded(LimitError(limit: "max-src-pixels", maximum: 50_000_000,
                                                                         actual: 65_535 * 65_535))) {
            try await Harness.run("f:png", on: Data(huge))
        }
    }

    @Test("the recipe options are checked where they are parsed")
    func options() throws {
        #expect(throws: RecipeError.self) { try Recipe(parsing: "depth:16/f:jpg") }
        #expect(throws: RecipeError.self) { try Recipe(parsing: "dw:none/f:png") }
        #expect(throws: RecipeError.self) { try Recipe(parsing: "dw:liver") }
        #expect(throws: RecipeError.self) { try Recipe(parsing: "dw:40:0") }
        #expect(throws: RecipeError.self) { try Recipe(parsing: "depth:16/f:png/bl:2") }
        let recipe = try Recipe(parsing: "dicom_window:40:400/frame:3/depth:16/f:tiff/rs:fit:100:100")
        #expect(recipe.window == .explicit(centre: 40, width: 400) && recipe.frame == 3 && recipe.output.bitDepth == 16)
        #expect(try Recipe(canonical: recipe.canonical) == recipe)
        #expect(recipe.canonical.contains("dw:40:400") && recipe.canonical.contains("fr:3") && recipe.canonical.contains("depth:16"))
        let decoded = try JSONDecoder().decode(Recipe.self, from: try JSONEncoder().encode(recipe))
        #expect(decoded == recipe)
    }
}
