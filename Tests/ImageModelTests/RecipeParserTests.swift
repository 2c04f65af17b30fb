import ImageModel
import Testing

@Suite("Recipe grammar")
struct RecipeParserTests {
    @Test("imgproxy's examples parse into typed operations")
    func examples() throws {
        let fill = try Recipe(parsing: "rs:fill:800:600/q:80/f:webp")
        #expect(fill.operations == [.resize(mode: .fill, width: 800, height: 600, enlarge: false, extend: false, gravity: .centre)])
        #expect(fill.output.quality == 80 && fill.output.format == .webp)

        let fit = try Recipe(parsing: "resize:fit:400:300/blur:2")
        #expect(fit.operations == [.resize(mode: .fit, width: 400, height: 300, enlarge: false, extend: false, gravity: .centre),
                                   .blur(sigma: 2)])
    }

    @Test("long and short names mean the same")
    func aliases() throws {
        let long = try Recipe(parsing: "resize:fill-down:300:200:1:1/gravity:sm/quality:70/format:png/strip_metadata:false")
        let short = try Recipe(parsing: "rs:fill-down:300:200:t:t/g:sm/q:70/ext:png/sm:0")
        #expect(long == short)
        #expect(long.output.stripMetadata == false)
    }

    @Test("options form a set applied in imgproxy's pipeline order")
    func pipelineOrder() throws {
        let a = try Recipe(parsing: "bl:2/wm:0.5:soea/rs:fit:100:100/t:10/c:50:50/rot:90/pd:5/bg:ffffff/sh:1")
        let b = try Recipe(parsing: "sh:1/bg:ffffff/pd:5/rot:90/c:50:50/t:10/rs:fit:100:100/wm:0.5:soea/bl:2")
        #expect(a == b)
        #expect(a.operations.map(\.name) == ["trim", "crop", "resize", "rotate", "blur", "sharpen", "padding", "background", "watermark"])
    }

    @Test("size, width, height, resizing type and gravity combine into one resize")
    func pieces() throws {
        let recipe = try Recipe(parsing: "w:300/h:200/rt:fill/el:1/g:noea")
        #expect(recipe.operations == [.resize(mode: .fill, width: 300, height: 200, enlarge: true, extend: false, gravity: .northEast)])
        let focus = try Recipe(parsing: "s:300:200/rt:fill/g:fp:0.25:0.75")
        #expect(focus.operations == [.resize(mode: .fill, width: 300, height: 200, enlarge: false, extend: false,
                                             gravity: .focusPoint(x: 0.25, y: 0.75))])
    }

    @Test("a later option overrides an earlier one, as in imgproxy")
    func lastWins() throws {
        #expect(try Recipe(parsing: "q:50/q:90").output.quality == 90)
    }

    @Test("crop takes a gravity or a rectangle")
    func crops() throws {
        #expect(try Recipe(parsing: "c:100:50:sowe").operations == [.crop(width: 100, height: 50, gravity: .southWest)])
        #expect(try Recipe(parsing: "c:100:50:nowe:10:20").operations == [.extract(x: 10, y: 20, width: 100, height: 50)])
        #expect(try Recipe(parsing: "c:100:50/g:sm").operations == [.crop(width: 100, height: 50, gravity: .smart)])
    }

    @Test("padding reads CSS shorthand")
    func padding() throws {
        #expect(try Recipe(parsing: "pd:10").operations == [.pad(top: 10, right: 10, bottom: 10, left: 10, background: .transparent)])
        #expect(try Recipe(parsing: "pd:1:2/bg:ff0000").operations == [
            .pad(top: 1, right: 2, bottom: 1, left: 2, background: Color(red: 255, green: 0, blue: 0)),
            .flatten(background: Color(red: 255, green: 0, blue: 0)),
        ])
        #expect(try Recipe(parsing: "bg:0:128:255").operations == [.flatten(background: Color(red: 0, green: 128, blue: 255))])
    }

    @Test("auto-rotation is on unless turned off")
    func autoRotate() throws {
        #expect(try Recipe(parsing: "q:80").autoRotate)
        #expect(try !Recipe(parsing: "ar:0").autoRotate)
    }

    @Test("errors name the option and what was expected", arguments: [
        ("zoom:2", "zoom", "a known processing option"),
        ("rs:fill:abc:100", "rs", "width as an integer"),
        ("rs:squash:100:100", "rs", "resizing type as one of fit, fill, fill-down, force, auto"),
        ("q:101", "quality", "quality in 1...100"),
        ("q", "q", "one quality"),
        ("q:80:90", "q", "one quality"),
        ("bl:-1", "blur", "sigma in 0.01...1000"),
        ("g:up", "g", "gravity as one of"),
        ("f:bmp", "f", "a format"),
        ("bg:zzzzzz", "bg", "rrggbb"),
        ("rs:fit:-5:10", "resize", "width in 0...100000"),
        ("el:maybe", "el", "enlarge as 1/0"),
        ("c:10", "c", "width:height"),
        ("br:300", "adjust", "brightness in -255...255"),
        ("rot:nan", "rot", "angle as a number"),
    ])
    func errors(input: String, option: String, expected: String) {
        let error = #expect(throws: RecipeError.self) { try Recipe(parsing: input) }
        #expect(error?.option == option, "\(input): \(String(describing: error))")
        #expect(error?.expected.contains(expected) == true, "\(input): \(String(describing: error))")
    }

    @Test("presets expand in place, nest, and apply 'default' first")
    func presets() throws {
        let presets = ["thumb": "rs:fill:100:100/q:70", "sharp": "pr:thumb/sh:1", "default": "q:90/sm:0"]
        let recipe = try Recipe(parsing: "pr:sharp/f:webp", presets: presets)
        #expect(recipe.operations == [.resize(mode: .fill, width: 100, height: 100, enlarge: false, extend: false, gravity: .centre),
                                      .sharpen(sigma: 1)])
        #expect(recipe.output.quality == 70 && recipe.output.format == .webp && !recipe.output.stripMetadata)
        #expect(try Recipe(parsing: "pr:thumb/q:50", presets: presets).output.quality == 50)
        let error = #expect(throws: RecipeError.self) { try Recipe(parsing: "pr:nope", presets: presets) }
        #expect(error?.option == "pr" && error?.found == "nope")
        #expect(throws: RecipeError.self) { try Recipe(parsing: "pr:loop", presets: ["loop": "pr:loop"]) }
    }

    @Test("dpr scales sizes, cache busters change only the key, max_bytes is kept")
    func serviceOptions() throws {
        let retina = try Recipe(parsing: "rs:fit:100:50/pd:5/dpr:2")
        #expect(retina.operations == [.resize(mode: .fit, width: 200, height: 100, enlarge: false, extend: false, gravity: .centre),
                                      .pad(top: 10, right: 10, bottom: 10, left: 10, background: .transparent)])
        let plain = try Recipe(parsing: "rs:fit:100:50")
        let busted = try Recipe(parsing: "rs:fit:100:50/cb:abc123")
        #expect(busted.operations == plain.operations && busted.cacheKey != plain.cacheKey)
        #expect(busted.canonical == "rs:fit:100:50:0:0:ce/cb:abc123")
        #expect(try Recipe(parsing: "mb:20000").output.maxBytes == 20000)
        #expect(throws: RecipeError.self) { try Recipe(parsing: "cb:a/b") }
        #expect(throws: RecipeError.self) { try Recipe(parsing: "dpr:0") }
    }

    @Test("the canonical form names every argument and runs in the order written")
    func canonical() throws {
        let recipe = try Recipe(parsing: "f:webp/rs:fill:300:200/q:80/bl:1.5")
        #expect(recipe.canonical == "rs:fill:300:200:0:0:ce/bl:1.5/f:webp/q:80")
        let reordered = try Recipe(canonical: "bl:1.5/rs:fill:300:200:0:0:ce")
        #expect(reordered.operations.map(\.name) == ["blur", "resize"])
        #expect(throws: RecipeError.self) { try Recipe(canonical: "w:300") }
    }
}
