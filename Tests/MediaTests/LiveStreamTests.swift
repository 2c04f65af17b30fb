import Foundation
import ImageModel
import Media
import Testing
import TestSupport

/// Live streams read by the `darkroom-video` helper itself, from a real `ffmpeg -re` sender on
/// 127.0.0.1.
@Suite("Live streams: sampled as they arrive, timeouts, protocol whitelist", .serialized,
       .enabled(if: StreamSender.available, "needs the ffmpeg tool (scripts/bootstrap)"))
struct LiveStreamTests {
    /// The stream at `url`, opened as soon as its sender listens (a refused connection fails at
    /// once: tried again every 0.1 s, for 10 s at most).
    static func open(_ url: String, protocols: String) throws -> VideoSource {
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                return try VideoSource(streaming: url, protocols: protocols, maxPixels: 1_000_000, readTimeout: .seconds(5),
                                       timeout: .seconds(10))
            } catch {
                lastError = error
                usleep(100_000)
            }
        }
        Issue.record("the stream did not open: \(String(describing: lastError))")
        throw CancellationError()
    }

    @Test("MPEG-TS over HTTP is sampled as it arrives: the stream's facts, frames every half second, the decoder's count")
    func httpStream() async throws {
        let sender = StreamSender(.http(port: LocalPort.free()))
        try sender.start()
        defer { sender.stop() }
        let url = sender.url
        try await BlockingWork.run {
            let video = try Self.open(url, protocols: "http,tcp")
            #expect((video.header.width, video.header.height, video.attributes.codec) == (320, 180, "h264"))
            var samples: [VideoSample] = []
            try video.samples(every: 0.5, limit: 6, width: 160) { sample in samples.append(sample) }
            #expect(samples.count == 6)
            #expect(samples.allSatisfy { ($0.width, $0.height, $0.rgb.count) == (160, 90, 160 * 90 * 3) })
            let times = samples.map(\.seconds)
            // The first frame whatever its clock; then the first at or after each half second.
            for (earlier, later) in zip(times.dropFirst(), times.dropFirst(2)) {
                #expect(later - earlier >= 0.45 && later - earlier <= 0.6, "\(times)")
            }
            let counts = samples.compactMap(\.decodedFrames)
            #expect(counts.count == 6 && counts == counts.sorted() && counts.last! - counts[1] >= 50, "\(counts)")
        }
    }

    @Test("RTSP from a camera-like server (GStreamer's) is read with the protocols an rtsp URL is given: the stream's facts, frames every half second")
    func rtspStream() async throws {
        let sender = StreamSender(.rtsp(port: LocalPort.free()))
        try sender.start()
        defer { sender.stop() }
        let url = sender.url
        try await BlockingWork.run {
            let video = try Self.open(url, protocols: "rtsp,rtp,udp,tcp")
            #expect((video.header.width, video.header.height, video.attributes.codec) == (320, 180, "h264"))
            var samples: [VideoSample] = []
            try video.samples(every: 0.5, limit: 5, width: 160) { sample in samples.append(sample) }
            #expect(samples.count == 5 && samples.allSatisfy { ($0.width, $0.height) == (160, 90) })
            let times = samples.map(\.seconds)
            for (earlier, later) in zip(times.dropFirst(), times.dropFirst(2)) {
                #expect(later - earlier >= 0.45 && later - earlier <= 0.6, "\(times)")
            }
        }
    }

    @Test("a stream that never sends a frame fails after its read timeout, clearly and in bounded time")
    func silentStream() async throws {
        let port = LocalPort.free(udp: true)
        try await BlockingWork.run {
            let started = ContinuousClock.now
            #expect {
                _ = try VideoSource(streaming: "udp://127.0.0.1:\(port)", protocols: "udp", maxPixels: 1_000_000,
                                    readTimeout: .seconds(1), timeout: .seconds(20))
            } throws: { error in
                guard let error = error as? MediaError, case let .broken(message) = error else { return false }
                return message.hasPrefix("stream:")
            }
            // The helper's own read timeout (1 s) answers, well before the step's deadline.
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test("FFmpeg opens only the protocols it is given: an http URL with only udp allowed is refused before connecting")
    func protocolWhitelist() async throws {
        try await BlockingWork.run {
            #expect(throws: MediaError.self) {
                _ = try VideoSource(streaming: "http://127.0.0.1:9/live.ts", protocols: "udp", maxPixels: 1_000_000,
                                    readTimeout: .seconds(1), timeout: .seconds(5))
            }
        }
    }
}
