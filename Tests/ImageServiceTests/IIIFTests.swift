import ImageSources
import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageModel
import ImageService
import ObjectStorage
import Synchronization
import Testing
import TestSupport
import Vips

/// The IIIF Image API 3.0 examples (region, size, rotation, quality), checked by the colours of
/// the answer against a 300×200 grid whose every 100 px square has its own colour.
@Suite("IIIF Image API")
struct IIIFTests {
    static func harness() throws -> ServiceHarness {
        var settings = ImageServiceSettings()
        settings.limits.maxOutputSide = 600
        let harness = try ServiceHarness.make(settings: settings)
        let png = Data(try SyntheticImages.png(try SyntheticImages.grid(columns: 3, rows: 2)))
        try png.write(to: harness.root.appendingPathComponent("grid.png"))
        try FileManager.default.createDirectory(at: harness.root.appendingPathComponent("dir/with space"), withIntermediateDirectories: true)
        try png.write(to: harness.root.appendingPathComponent("dir/with space/grid ü+1.png"))
        return harness
    }

    /// The grid colour at source pixel (x, y).
    static func source(_ x: Int, _ y: Int) -> [Double] {
        SyntheticImages.gridColour(column: x / 100, row: y / 100, columns: 3).map(Double.init)
    }

    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var image: VipsImage? { try? VipsImage.load(body, access: .random) }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, headers: [String: String] = [:]) async throws -> Answer {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await client.execute(uri: path, method: .get, headers: fields) { response in
            var names: [String: String] = [:]
            for field in response.headers { names[field.name.canonicalName.lowercased()] = field.value }
            return Answer(status: Int(response.status.code), headers: names, body: response.data)
        }
    }

    /// Checks an answer's size, and the colours at output points against source points.
    static func expect(_ answer: Answer, size: (Int, Int), _ samples: [((Int, Int), (Int, Int))],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))", sourceLocation: sourceLocation)
        guard let image = answer.image else { Issue.record("no image", sourceLocation: sourceLocation); return }
        #expect(image.width == size.0 && image.height == size.1, "got \(image.width)×\(image.height)", sourceLocation: sourceLocation)
        for (out, src) in samples {
            let pixel = Array(try image.pixel(x: out.0, y: out.1).prefix(3))
            let expected = source(src.0, src.1)
            #expect(zip(pixel, expected).allSatisfy { abs($0 - $1) <= 8 }, "output \(out) is \(pixel), expected \(expected) from source \(src)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("region: full, square, pixels, percent, clipped, and wholly outside")
    func regions() async throws {
        try await Self.harness().test { client in
            let base = "/iiif/3/grid.png/"
            try Self.expect(try await Self.get(client, base + "full/max/0/default.png"), size: (300, 200), [((50, 50), (50, 50)), ((250, 150), (250, 150))])
            try Self.expect(try await Self.get(client, base + "square/max/0/default.png"), size: (200, 200),
                            [((10, 10), (60, 10)), ((60, 10), (110, 10)), ((190, 190), (240, 190))])
            try Self.expect(try await Self.get(client, base + "125,15,120,140/max/0/default.png"), size: (120, 140),
                            [((2, 2), (127, 17)), ((80, 2), (205, 17)), ((117, 137), (242, 152))])
            try Self.expect(try await Self.get(client, base + "pct:41.6,7.5,40,70/max/0/default.png"), size: (120, 140),
                            [((2, 2), (127, 17)), ((117, 137), (242, 152))])
            try Self.expect(try await Self.get(client, base + "125,15,200,200/max/0/default.png"), size: (175, 185),
                            [((172, 182), (297, 197))])
            try Self.expect(try await Self.get(client, base + "pct:41.6,7.5,66.6,100/max/0/default.png"), size: (175, 185),
                            [((172, 182), (297, 197))])
            #expect(try await Self.get(client, base + "300,0,10,10/max/0/default.png").status == 400)
            #expect(try await Self.get(client, base + "0,200,10,10/max/0/default.png").status == 400)
        }
    }

    @Test("size: every form, with and without ^", arguments: [
        ("max", 300, 200), ("^max", 600, 400), ("150,", 150, 100), ("^360,", 360, 240), (",150", 225, 150), ("^,240", 360, 240),
        ("pct:50", 150, 100), ("^pct:120", 360, 240), ("225,100", 225, 100), ("^360,360", 360, 360), ("!225,100", 150, 100),
        ("^!360,360", 360, 240),
    ])
    func sizes(_ size: String, width: Int, height: Int) async throws {
        try await Self.harness().test { client in
            let answer = try await Self.get(client, "/iiif/3/grid.png/full/\(size)/0/default.png")
            let sx = Double(width) / 300, sy = Double(height) / 200
            let points = [(30, 30), (270, 170), (150 + 30, 30)]
            try Self.expect(answer, size: (width, height), points.map { point in
                ((Int(Double(point.0) * sx), Int(Double(point.1) * sy)), point)
            })
        }
    }

    @Test("size: upscaling without ^, nothing left, or over the limits is a 400",
          arguments: ["400,", ",201", "pct:120", "301,200", "^700,", "^max,", "0,", "pct:0", "!0,10", "abc"])
    func badSizes(_ size: String) async throws {
        try await Self.harness().test { client in
            let answer = try await Self.get(client, "/iiif/3/grid.png/full/\(size)/0/default.png")
            #expect(answer.status == 400, "\(size): \(String(decoding: answer.body, as: UTF8.self))")
            #expect(String(decoding: answer.body, as: UTF8.self).contains("size"))
        }
    }

    @Test("rotation: right angles, mirroring, and an arbitrary angle with clear or white corners")
    func rotations() async throws {
        try await Self.harness().test { client in
            let base = "/iiif/3/grid.png/full/max/"
            try Self.expect(try await Self.get(client, base + "90/default.png"), size: (200, 300),
                            [((10, 10), (10, 189)), ((190, 10), (10, 9)), ((190, 290), (290, 9))])
            try Self.expect(try await Self.get(client, base + "180/default.png"), size: (300, 200), [((10, 10), (289, 189))])
            try Self.expect(try await Self.get(client, base + "270/default.png"), size: (200, 300), [((10, 10), (289, 10))])
            try Self.expect(try await Self.get(client, base + "!0/default.png"), size: (300, 200), [((10, 10), (289, 10))])
            try Self.expect(try await Self.get(client, base + "!180/default.png"), size: (300, 200), [((10, 10), (10, 189))])
            let png = try #require(try await Self.get(client, base + "22.5/default.png").image)
            #expect(abs(png.width - 354) <= 2 && abs(png.height - 300) <= 2, "\(png.width)×\(png.height)")
            let corner = try png.pixel(x: 0, y: 0)
            #expect(png.hasAlpha && corner.last == 0, "PNG corners are transparent: \(corner)")
            let jpg = try #require(try await Self.get(client, base + "22.5/default.jpg").image)
            let white = try jpg.pixel(x: 0, y: 0)
            #expect(white.allSatisfy { $0 > 240 }, "JPEG corners are white: \(white)")
            #expect(try await Self.get(client, base + "361/default.png").status == 400)
            #expect(try await Self.get(client, base + "-90/default.png").status == 400)
        }
    }

    @Test("quality: default and color keep colours, gray has none, bitonal is black or white")
    func qualities() async throws {
        try await Self.harness().test { client in
            let base = "/iiif/3/grid.png/full/max/0/"
            try Self.expect(try await Self.get(client, base + "default.png"), size: (300, 200), [((50, 50), (50, 50))])
            try Self.expect(try await Self.get(client, base + "color.png"), size: (300, 200), [((150, 150), (150, 150))])
            let gray = try #require(try await Self.get(client, base + "gray.png").image)
            let red = try gray.pixel(x: 50, y: 50), green = try gray.pixel(x: 150, y: 50)
            #expect(Set(red.prefix(3)).count == 1 && red[0] != green[0], "gray: \(red) \(green)")
            let bitonal = try #require(try await Self.get(client, base + "bitonal.png").image)
            var seen = Set<Double>()
            for y in stride(from: 5, to: 200, by: 50) {
                for x in stride(from: 5, to: 300, by: 50) { seen.formUnion(try bitonal.pixel(x: x, y: y).prefix(1)) }
            }
            #expect(seen == [0, 255], "bitonal values: \(seen)")
            #expect(try bitonal.pixel(x: 50, y: 150)[0] == 255, "yellow is light")
            #expect(try bitonal.pixel(x: 250, y: 50)[0] == 0, "blue is dark")
            #expect(try await Self.get(client, base + "sepia.png").status == 400)
        }
    }

    @Test("formats: jpg, png, webp, tif, gif, avif; jp2 is not implemented; others are malformed")
    func formats() async throws {
        try await Self.harness().test { client in
            for (ext, type) in [("jpg", "image/jpeg"), ("png", "image/png"), ("webp", "image/webp"), ("tif", "image/tiff"),
                                ("gif", "image/gif"), ("avif", "image/avif")] {
                let answer = try await Self.get(client, "/iiif/3/grid.png/full/100,/0/default.\(ext)")
                #expect(answer.status == 200 && answer.headers["content-type"] == type, "\(ext): \(answer.status)")
                #expect(answer.image?.width == 100, "\(ext) decodes")
            }
            #expect(try await Self.get(client, "/iiif/3/grid.png/full/max/0/default.jp2").status == 501)
            #expect(try await Self.get(client, "/iiif/3/grid.png/full/max/0/default.bmp").status == 400)
        }
    }

    @Test("info.json: fields and types, the id from forwarded headers, and the media type")
    func info() async throws {
        try await Self.harness().test { client in
            let answer = try await Self.get(client, "/iiif/3/grid.png/info.json",
                                            headers: ["X-Forwarded-Proto": "https", "X-Forwarded-Host": "images.example.org"])
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"")
            let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            #expect(json["@context"] as? String == "http://iiif.io/api/image/3/context.json")
            #expect(json["id"] as? String == "https://images.example.org/iiif/3/grid.png")
            #expect(json["type"] as? String == "ImageService3")
            #expect(json["protocol"] as? String == "http://iiif.io/api/image")
            #expect(json["profile"] as? String == "level2")
            #expect(json["width"] as? Int == 300 && json["height"] as? Int == 200)
            #expect(json["maxWidth"] as? Int == 600 && json["maxHeight"] as? Int == 600 && json["maxArea"] is Int)
            let sizes = try #require(json["sizes"] as? [[String: Int]])
            #expect(sizes.last == ["width": 300, "height": 200] && sizes.count >= 1)
            let tiles = try #require(json["tiles"] as? [[String: Any]])
            #expect(tiles.first?["width"] as? Int == 512 && tiles.first?["scaleFactors"] as? [Int] == [1])
            #expect(json["extraFormats"] as? [String] == ["webp", "tif", "gif", "avif"])
            #expect(json["extraQualities"] as? [String] == ["color", "gray", "bitonal"])
            #expect((json["extraFeatures"] as? [String])?.contains("rotationArbitrary") == true)
            let plain = try await Self.get(client, "/iiif/3/grid.png/info.json", headers: ["Accept": "application/json"])
            #expect(plain.headers["content-type"] == "application/json")
        }
    }

    @Test("headers: CORS and the profile link on every answer, errors included; a base URI redirects")
    func headers() async throws {
        try await Self.harness().test { client in
            for path in ["/iiif/3/grid.png/info.json", "/iiif/3/grid.png/full/max/0/default.jpg", "/iiif/3/missing.png/info.json",
                         "/iiif/3/grid.png/nowhere/max/0/default.jpg"] {
                let answer = try await Self.get(client, path)
                #expect(answer.headers["access-control-allow-origin"] == "*", "\(path)")
                #expect(answer.headers["link"] == "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\"", "\(path)")
            }
            let redirect = try await Self.get(client, "/iiif/3/grid.png", headers: ["X-Forwarded-Host": "iiif.test"])
            #expect(redirect.status == 303)
            #expect(redirect.headers["location"] == "http://iiif.test/iiif/3/grid.png/info.json", "\(redirect.headers)")
        }
    }

    @Test("errors: each class has its status, and 400s name the parameter")
    func errors() async throws {
        try await Self.harness().test { client in
            let cases: [(String, Int, String)] = [
                ("/iiif/3/missing.png/info.json", 404, ""),
                ("/iiif/3/missing.png/full/max/0/default.jpg", 404, ""),
                ("/iiif/3/grid.png/1,2,3/max/0/default.jpg", 400, "region"),
                ("/iiif/3/grid.png/full/big/0/default.jpg", 400, "size"),
                ("/iiif/3/grid.png/full/max/x/default.jpg", 400, "rotation"),
                ("/iiif/3/grid.png/full/max/0/best.jpg", 400, "quality"),
                ("/iiif/3/grid.png/full/max/0/default.pdf", 501, "format"),
                ("/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json", 403, ""),
            ]
            for (path, status, parameter) in cases {
                let answer = try await Self.get(client, path)
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(answer.status == status, "\(path): \(answer.status) \(text)")
                #expect(parameter.isEmpty || text.contains(parameter), "\(path): \(text)")
            }
        }
    }

    @Test("identifiers with %2F, spaces and non-ASCII characters; tiles are cached like any render")
    func identifiersAndCache() async throws {
        let harness = try Self.harness()
        try await harness.test { client in
            let id = "dir%2Fwith%20space%2Fgrid%20%C3%BC%2B1.png"
            let info = try await Self.get(client, "/iiif/3/\(id)/info.json", headers: ["X-Forwarded-Host": "iiif.test"])
            #expect(info.status == 200, "\(String(decoding: info.body, as: UTF8.self))")
            let json = try #require(try JSONSerialization.jsonObject(with: info.body) as? [String: Any])
            #expect(json["id"] as? String == "http://iiif.test/iiif/3/\(id)")
            let tile = "/iiif/3/\(id)/0,0,200,200/100,/0/default.jpg"
            try Self.expect(try await Self.get(client, tile), size: (100, 100), [((20, 20), (40, 40)), ((70, 20), (140, 40))])
            _ = try await Self.get(client, tile)
        }
        #expect(harness.dependencies.renders.count == 1)
    }

    @Test("a larger image announces its tile levels and sizes; a configured public URL names it")
    func levelsAndPublicURL() async throws {
        var settings = ImageServiceSettings()
        settings.iiif.publicBaseURL = "https://iiif.example.org/images/"
        let harness = try ServiceHarness.make(settings: settings)
        try Data(try SyntheticImages.png(try SyntheticImages.grid(columns: 20, rows: 12)))
            .write(to: harness.root.appendingPathComponent("large.png"))
        try await harness.test { client in
            let answer = try await Self.get(client, "/iiif/3/large.png/info.json")
            let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            #expect(json["id"] as? String == "https://iiif.example.org/images/iiif/3/large.png")
            let tiles = try #require(json["tiles"] as? [[String: Any]])
            #expect(tiles.first?["scaleFactors"] as? [Int] == [1, 2, 4])
            #expect(json["sizes"] as? [[String: Int]] == [["width": 500, "height": 300], ["width": 1000, "height": 600],
                                                          ["width": 2000, "height": 1200]])
            // A tile at scale factor 4, as a viewer asks for it.
            try Self.expect(try await Self.get(client, "/iiif/3/large.png/0,0,2000,1200/500,/0/default.png"), size: (500, 300), [])
        }
    }

    @Test("identifiers can resolve under an object-store prefix")
    func objectStoreIdentifiers() async throws {
        let store = MemoryObjectStore()
        try await store.put(try ObjectKey("scans/2026/grid.png"), data: Data(try SyntheticImages.png(try SyntheticImages.grid(columns: 3, rows: 2))))
        var settings = ImageServiceSettings()
        settings.iiif.sourcePrefix = "s3://archive/scans/"
        let fetcher = ObjectSourceFetcher(allowList: SourceAllowList([])) { bucket throws(ObjectStoreError) in
            guard bucket == "archive" else { throw .invalidConfiguration("no bucket \(bucket)") }
            return store
        }
        let harness = try ServiceHarness.make(settings: settings, extraFetchers: [fetcher])
        try await harness.test { client in
            try Self.expect(try await Self.get(client, "/iiif/3/2026%2Fgrid.png/full/150,/0/default.png"), size: (150, 100),
                            [((25, 25), (50, 50))])
            #expect(try await Self.get(client, "/iiif/3/2026%2Fnone.png/info.json").status == 404)
        }
    }
}
