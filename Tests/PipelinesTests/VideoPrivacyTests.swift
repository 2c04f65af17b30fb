import Foundation
import ImageAnalysis
import ImageModel
import ImageProcessing
import Media
import ObjectStorage
import Synchronization
import Testing
import TestSupport
@testable import Pipelines

/// `{video: {blur_detections: 25}}` outputs: a video copy, re-encoded as H.264 MP4, in which
/// the real face detector finds no face in any frame, where it found one in every frame of the
/// source (a clip made from the face fixture, the face moving).
@Suite("Video privacy copies", .serialized, .enabled(if: StreamSender.available, "needs the ffmpeg tool (scripts/bootstrap)"))
struct VideoPrivacyTests {
    /// Two seconds at 10 frames a second of the astronaut photo, panning, with a 440 Hz tone
    /// as AAC sound.
    static func faceClip() throws -> Data {
        let folder = try TemporaryFolder()
        let path = folder.path + "/face.mp4"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: StreamSender.ffmpeg)
        process.arguments = ["-v", "error", "-loop", "1", "-framerate", "10", "-i", Fixtures.url("faces/astronaut.jpg").path,
                             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2",
                             "-vf", "scale=320:320,crop=256:256:'32+24*sin(t*3)':32", "-threads", "1", "-c:v", "libx264",
                             "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-y", path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The codec and length of `video`'s sound, as ffprobe reads them; nil when it has none.
    static func sound(of video: Data) throws -> (codec: String, seconds: Double)? {
        let folder = try TemporaryFolder()
        let path = folder.path + "/copy.mp4"
        try video.write(to: URL(fileURLWithPath: path))
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name,duration", "-of", "csv=p=0", path]
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        guard fields.count == 2, let seconds = Double(fields[1]) else { return nil }
        return (String(fields[0]), seconds)
    }

    /// The names of an MP4's top-level boxes, in file order.
    static func topLevelBoxes(of video: Data) -> [String] {
        let bytes = [UInt8](video)
        var names: [String] = [], offset = 0
        func number(at start: Int, count: Int) -> Int { bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) } }
        while offset + 8 <= bytes.count {
            var size = number(at: offset, count: 4)
            if size == 1, offset + 16 <= bytes.count { size = number(at: offset + 8, count: 8) }
            if size == 0 { size = bytes.count - offset }
            names.append(String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self))
            guard size >= 8 else { break }
            offset += size
        }
        return names
    }

    /// The real face detector, made to miss every face on every fourth frame it is shown, as a
    /// detector does now and then (a turned head, motion blur).
    final class ForgetfulDetector: ObjectDetector {
        let detector: FaceDetector
        let calls = Mutex(0)
        init(_ detector: FaceDetector) { self.detector = detector }
        var classes: Set<String> { detector.classes }
        var workingSize: Int { detector.workingSize }
        var framingSize: Int { detector.framingSize }
        func detect(_ classes: [String], in image: DecodedImage, longestSide: Int) throws -> [DetectedObject] {
            let call = calls.withLock { count in
                defer { count += 1 }
                return count
            }
            return call % 4 == 3 ? [] : try detector.detect(classes, in: image, longestSide: longestSide)
        }
    }

    /// How many of the frames sampled from `video` (every `interval` seconds, at most `max`) hold a face.
    static func framesWithFaces(_ video: Data, detector: FaceDetector, every interval: Double = 0.25,
                                max: Int = 8) async throws -> (withFaces: Int, sampled: Int) {
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: detector, absence: "")
        let sampled = try await processor.inspectFrames(video, selection: try FrameSelection(.every(interval), max: max)) { frame, _, _ in
            try detector.detect(["face"], in: frame, longestSide: detector.workingSize).count
        }
        return (sampled.filter { $0.value > 0 }.count, sampled.count)
    }

    @Test("the copy keeps the clip's frames, size, length and sound (unless dropped), has its index first, and no face is found in it")
    func blurred() async throws {
        let detector = try FaceDetector(models: FaceModels(folder: FaceFixtures.models))
        let clip = try Self.faceClip()
        let before = try await Self.framesWithFaces(clip, detector: detector)
        #expect(before.sampled == 8 && before.withFaces == 8, "the source shows the face in every frame: \(before)")

        let pipeline = try Pipeline(spec: """
            name: private
            version: "1"
            outputs: [{name: public, video: {blur_detections: 25}}, {name: silent, video: {blur_detections: 25, audio: drop}}]
            """, file: "private.yaml")
        let store = MemoryObjectStore()
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: detector, absence: "")
        let runner = PipelineRunner(catalog: PipelineCatalog([pipeline]), processor: processor, sources: StoreSources(store: store), store: store)
        _ = try await store.put(try ObjectKey("in/clip.mp4"), data: clip)
        let result = try await runner.run(PipelineJob(pipeline: "private", version: "1", source: "in/clip.mp4"))
        let output = try #require(result.outputs.first)
        #expect(output.key == "videos/\(result.imageID)/public.mp4" && output.format == "mp4" && (output.width, output.height) == (256, 256))
        let stored = try await store.get(try ObjectKey(output.key))
        #expect(stored.info.contentType == "video/mp4")
        // faststart: the index comes before the media, so a player can begin as the file arrives.
        let boxes = Self.topLevelBoxes(of: stored.data)
        let moov = boxes.firstIndex(of: "moov") ?? .max, mdat = boxes.firstIndex(of: "mdat") ?? .min
        #expect(boxes.first == "ftyp" && moov < mdat, "\(boxes)")

        let copy = try VideoSource(bytes: stored.data, maxPixels: 1_000_000)
        #expect(copy.attributes.codec == "h264" && abs(copy.attributes.duration - 2) <= 0.15 && copy.attributes.fps == 10)
        let after = try await Self.framesWithFaces(stored.data, detector: detector)
        #expect(after.sampled == 8 && after.withFaces == 0, "no face left in the copy: \(after)")

        // The sound is copied unchanged (the same AAC, the same length), or left out when dropped.
        let source = try #require(try Self.sound(of: clip))
        let kept = try #require(try Self.sound(of: stored.data), "the copy has sound")
        #expect(kept.codec == source.codec && abs(kept.seconds - source.seconds) <= 0.05, "\(kept) against \(source)")
        let silent = try #require(result.outputs.first { $0.name == "silent" })
        #expect(try Self.sound(of: try await store.get(try ObjectKey(silent.key)).data) == nil)
    }

    @Test("a face the detector misses in one frame is blurred there all the same, where the frames either side found it")
    func missedFrames() async throws {
        let detector = try FaceDetector(models: FaceModels(folder: FaceFixtures.models))
        let forgetful = ForgetfulDetector(detector)
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: forgetful, absence: "")
        let copy = try await processor.blurredVideo(try Self.faceClip(), sigma: 25, keepingAudio: false)
        #expect(copy.frames == 20 && forgetful.calls.withLock { $0 } == 20, "five of the twenty frames had no detection")
        // Every frame, the five forgotten ones included.
        let after = try await Self.framesWithFaces(copy.data, detector: detector, every: 0.1, max: 20)
        #expect(after.sampled == 20 && after.withFaces == 0, "no face left in any frame: \(after)")
    }

    @Test("refused by name: a still image, a pipeline spec with a bad sigma")
    func refusals() async throws {
        let spec = "name: p\noutputs: [{name: v, video: {blur_detections: 0}}]\n"
        #expect { try Pipeline(spec: spec, file: "p.yaml") } throws: { "\($0)".contains("outputs[0].video.blur_detections") }
        let mute = "name: p\noutputs: [{name: v, video: {blur_detections: 25, audio: mute}}]\n"
        #expect { try Pipeline(spec: mute, file: "p.yaml") } throws: { "\($0)".contains("outputs[0].video.audio") && "\($0)".contains("keep or drop") }
        let detector = try FaceDetector(models: FaceModels(folder: FaceFixtures.models))
        let processor = ImageProcessor(pool: PixelPool(threads: 1)).detecting(with: detector, absence: "")
        await #expect { _ = try await processor.blurredVideo(try Fixtures.data("natural/rocket.jpg"), sigma: 25) } throws: {
            "\($0)".contains("needs a video source")
        }
    }
}
