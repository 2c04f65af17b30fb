import Foundation
import Testing
import TestSupport
@testable import Vips

/// libvips' generic operation API (``VipsImage/calling(_:input:_:)``), which reaches operations the
/// 8.14 headers do not declare.
@Suite("Generic operations")
struct GenericOperationTests {
    @Test("an operation runs by name with its arguments, typed as libvips declares them")
    func byName() throws {
        let image = try VipsImage.load(try Fixtures.data("formats/hopper.png"))
        let rotated = try image.calling("rot", ["angle": .int(1)])  // VIPS_ANGLE_D90
        #expect(rotated.width == image.height && rotated.height == image.width)
        let inverted = try image.calling("invert")
        #expect(try inverted.pixel(x: 3, y: 5) == (try image.pixel(x: 3, y: 5)).map { 255 - $0 })
        let scaled = try image.calling("resize", ["scale": .double(0.5), "kernel": .int(0)])
        #expect(scaled.width == image.width / 2)
    }

    @Test("an unknown operation, a bad argument or a failure is a VipsError that names it")
    func failures() throws {
        let image = try VipsImage.load(try Fixtures.data("formats/hopper.png"))
        let unknown = #expect(throws: VipsError.self) { try image.calling("no_such_operation") }
        #expect(unknown?.operation == "no_such_operation")
        #expect(unknown?.message.isEmpty == false)
        let box: [String: VipsArgument] = ["left": .int(0), "top": .int(0), "width": .int(image.width + 10), "height": .int(5)]
        // A required argument left unset (extract_area names its image `input`).
        let unset = #expect(throws: VipsError.self) { try image.calling("extract_area", box) }
        #expect(unset?.message.contains("parameter input not set") == true, "\(String(describing: unset))")
        // Built, but fails: a crop outside the image.
        let outside = #expect(throws: VipsError.self) { try image.calling("extract_area", input: "input", box) }
        #expect(outside?.message.contains("bad extract area") == true, "\(String(describing: outside))")
        // The error buffer was read and cleared: the next call starts clean.
        #expect(try image.calling("invert").width == image.width)
    }

    @Test("operations newer than 8.14 are reached on the 8.18 engine, and absent on older ones")
    func newerOperations() throws {
        let newer = VipsRuntime.version.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes([8, 18]) == false
        #expect(VipsImage.hasOperation("uhdr2scRGB") == newer)
        #expect(VipsImage.hasOperation("thumbnail_image"))
        #expect(!VipsImage.hasOperation("no_such_operation"))
        let plain = try VipsImage.load(try Fixtures.data("natural/rocket.jpg"))
        // No gain map: uhdr2scRGB refuses, with a message, on the engine that has it.
        if newer { #expect(throws: VipsError.self) { try plain.hdrFromGainMap() } }
    }
}
