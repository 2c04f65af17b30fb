import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import ImageModel
import ImageService
import Testing
import TestSupport
import Vips

/// Video sources through the image routes and `info`: a poster frame, as imgproxy Pro serves one.
@Suite struct VideoServiceTests {
    @Test func infoReportsDurationRateCodecAndRotation() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/info/plain/local:///clip.mp4", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["format"] as? String == "video")
                #expect((json["width"] as? Int, json["height"] as? Int) == (160, 120))
                let video = try #require(json["video"] as? [String: Any])
                #expect(video["codec"] as? String == "h264")
                #expect(video["duration"] as? Double == 3 && video["fps"] as? Double == 10 && video["rotation"] as? Int == 0)
            }
        }
    }

    @Test func thePosterFrameIsTheOneAtVideoThumbnailSecond() async throws {
        try await ServiceHarness.make().test { client in
            for (option, red, green) in [("", 200, 40), ("/vts:1.5", 40, 100), ("/video_thumbnail_second:2.5", 40, 40)] {
                try await client.execute(uri: "/unsafe/rs:fit:40:40\(option)/f:png/plain/local:///clip.mp4", method: .get) { response in
                    #expect(response.status == .ok, "\(option)")
                    #expect(response.headers[.contentType] == "image/png")
                    let image = try VipsImage.load(Data(buffer: response.body))
                    #expect((image.width, image.height) == (40, 30))
                    let pixel = try image.extracted(left: 20, top: 15, width: 1, height: 1).pixelBytes()
                    // Red, then green (0,128,0), then blue, one second each.
                    #expect(red > 100 ? pixel[0] > 200 : pixel[0] < 40, "\(option): \(pixel)")
                    #expect(green > 50 ? pixel[1] > 100 : pixel[1] < 40, "\(option): \(pixel)")
                }
            }
        }
    }

    @Test func badVideosAndBadSecondsAreRefusedByName() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/vts:-1/plain/local:///clip.mp4", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("option 'vts': expected second as a number"))
            }
            try await client.execute(uri: "/unsafe/vts:1:2/plain/local:///clip.mp4", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
        var settings = ImageServiceSettings()
        settings.limits.maxInputPixels = 1000
        try await ServiceHarness.make(settings: settings).test { client in
            try await client.execute(uri: "/unsafe/plain/local:///clip.mp4", method: .get) { response in
                #expect(response.status.code == 413)
                #expect(String(buffer: response.body).contains("max-src-pixels"))
            }
        }
    }
}
