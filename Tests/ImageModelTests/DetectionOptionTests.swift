import ImageModel
import Testing

/// imgproxy Pro's object options: `g:obj:face` (and `g:face`), `bd`, `dd`.
@Suite("Detection options")
struct DetectionOptionTests {
    @Test("g:obj:face and g:face are the same object gravity, in the canonical recipe and the cache key")
    func objectGravity() throws {
        let long = try Recipe(parsing: "rs:fill:300:200/g:obj:face")
        let short = try Recipe(parsing: "rs:fill:300:200/gravity:face")
        #expect(long == short)
        #expect(long.operations == [.resize(mode: .fill, width: 300, height: 200, enlarge: false, extend: false, gravity: .objects(["face"]))])
        #expect(long.canonical.contains("obj:face"))
        #expect(long.cacheKey != (try Recipe(parsing: "rs:fill:300:200/g:sm")).cacheKey)
        #expect(try Recipe(canonical: long.canonical) == long)
        #expect(try Recipe(parsing: "c:100:100:obj:face").operations == [.crop(width: 100, height: 100, gravity: .objects(["face"]))])
    }

    @Test("bd and dd read imgproxy Pro's grammar; no class names means faces; dd:0 draws nothing")
    func blurAndDraw() throws {
        #expect(try Recipe(parsing: "blur_detections:7:face").operations == [.blurDetections(sigma: 7, classes: ["face"])])
        #expect(try Recipe(parsing: "bd:7").operations == [.blurDetections(sigma: 7, classes: ["face"])])
        #expect(try Recipe(parsing: "draw_detections:1:face").operations == [.drawDetections(classes: ["face"])])
        #expect(try Recipe(parsing: "dd:0").operations.isEmpty)
        let both = try Recipe(parsing: "dd:1/rs:fit:100:100/bd:5:face")
        // imgproxy's order: resize, then blur the faces, then outline them.
        #expect(both.operations.map(\.name) == ["resize", "blur_detections", "draw_detections"])
        #expect(try Recipe(canonical: both.canonical) == both)
        #expect(both.operations.flatMap(\.detectedClasses) == ["face", "face"])
        #expect(try Recipe(parsing: "rs:fill:10:10/g:sm").operations.flatMap(\.detectedClasses).isEmpty)
    }

    @Test("an unknown class, a missing class, a bad sigma and a detected watermark position are refused, naming the option",
          arguments: ["g:obj:cat", "g:obj", "bd:5:car", "bd:0:face", "bd:abc", "dd:1:person", "dd:maybe:face", "wm:0.5:face"])
    func refused(options: String) {
        #expect(throws: RecipeError.self) { try Recipe(parsing: options) }
        do { _ = try Recipe(parsing: options) } catch {
            let option = String(options.prefix { $0 != ":" })
            let names = [option, "gravity", "blur_detections", "draw_detections", "watermark"]
            #expect(names.contains { error.description.contains($0) }, "\(error)")
        }
    }
}
