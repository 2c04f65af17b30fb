import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PropertyBased
import Testing
import VideoWire

@Suite("The video decoder's wire: messages, commands and limits")
struct VideoWireTests {
    /// A pipe's two ends, closed when the test is done.
    final class PipePair {
        let reader: VideoWire
        let writer: VideoWire
        private let ends: [Int32]

        init() throws {
            var fds: [Int32] = [0, 0]
            try #require(pipe(&fds) == 0)
            ends = fds
            reader = VideoWire(descriptor: fds[0])
            writer = VideoWire(descriptor: fds[1])
        }

        func closeWriter() { close(ends[1]) }

        /// Writes raw bytes on the writing end.
        func writeRaw(_ bytes: [UInt8]) {
            _ = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        }

        deinit { for end in ends { close(end) } }
    }

    @Test("every message and command reads back as it was sent")
    func roundTrip() throws {
        let pair = try PipePair()
        let description = VideoDescription(width: 4, height: 2, duration: 3.5, fps: 29.97, codec: "h264", rotation: 90)
        let pixels = (0..<24).map { UInt8($0) }
        var failure = DecoderFailure.limit("max-src-pixels", maximum: 10, actual: 20, "too big")
        failure.message = "too big"
        try pair.writer.send(.description(description))
        try pair.writer.send(.frame(FrameHeader(seconds: 1.25, width: 4, height: 2), pixels))
        try pair.writer.send(.done)
        try pair.writer.send(.failure(failure))
        try pair.writer.send(.frame(FrameHeader(seconds: 2, width: 4, height: 2, decoded: 61), pixels))
        try pair.writer.send(.output(Array(pixels.prefix(10))))
        try pair.writer.send(FrameCommand(.every(seconds: 2, limit: 7), size: FrameSize(width: 160, height: 90)))
        try pair.writer.send(FrameCommand(.keyFrames(limit: 3)))
        try pair.writer.send(FrameCommand(.times([0, 1.5, 0.25])))
        try pair.writer.send(.output(pixels))
        pair.closeWriter()
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 24) == .description(description))
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 24) == .frame(FrameHeader(seconds: 1.25, width: 4, height: 2), pixels))
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 24) == .done)
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 24) == .failure(failure))
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 24) == .frame(FrameHeader(seconds: 2, width: 4, height: 2, decoded: 61), pixels))
        #expect(try pair.reader.receiveMessage(maxPixelBytes: 0, maxOutputBytes: 10) == .output(Array(pixels.prefix(10))))
        #expect(try pair.reader.receiveCommand() == FrameCommand(.every(seconds: 2, limit: 7), size: FrameSize(width: 160, height: 90)))
        #expect(try pair.reader.receiveCommand() == FrameCommand(.keyFrames(limit: 3)))
        #expect(try pair.reader.receiveCommand() == FrameCommand(.times([0, 1.5, 0.25])))
        // An encoded file over the reader's limit is refused before it is read.
        #expect(throws: VideoWireError.tooLarge(declared: 24, limit: 23)) { try pair.reader.receiveMessage(maxPixelBytes: 0, maxOutputBytes: 23) }
    }

    @Test("any command survives the wire", .timeLimit(.minutes(1)))
    func commandsRoundTrip() async {
        let seconds = Gen.double(in: 0...100_000)
        let counts = Gen.int(in: 1...100_000)
        await propertyCheck(count: 300, input: seconds, counts, Gen.bool) { second, count, every in
            let pair = try PipePair()
            let command = every
                ? FrameCommand(.every(seconds: second, limit: count), size: FrameSize(width: count, height: count / 2 + 1))
                : FrameCommand(.at(second))
            try pair.writer.send(command)
            #expect(try pair.reader.receiveCommand() == command)
        }
    }

    @Test("a frame larger than the reader allows is refused before its pixels are allocated")
    func frameOverLimit() throws {
        let pair = try PipePair()
        // A header that claims a 100 000 x 100 000 frame, with no pixels behind it.
        let header = try JSONEncoder().encode(FrameHeader(seconds: 0, width: 100_000, height: 100_000))
        var bytes: [UInt8] = [0x46]
        bytes += withUnsafeBytes(of: UInt32(header.count).littleEndian, Array.init) + Array(header)
        bytes += withUnsafeBytes(of: UInt64(30_000_000_000).littleEndian, Array.init)
        pair.writeRaw(bytes)
        #expect(throws: VideoWireError.tooLarge(declared: 30_000_000_000, limit: 3_000_000)) {
            try pair.reader.receiveMessage(maxPixelBytes: 3_000_000)
        }
    }

    @Test("a frame whose byte count disagrees with its size, an unknown kind and a cut message are refused")
    func malformed() throws {
        let header = try JSONEncoder().encode(FrameHeader(seconds: 0, width: 2, height: 2))
        let lying = try PipePair()
        lying.writeRaw([0x46] + withUnsafeBytes(of: UInt32(header.count).littleEndian, Array.init) + Array(header)
                       + withUnsafeBytes(of: UInt64(5).littleEndian, Array.init))
        #expect { try lying.reader.receiveMessage(maxPixelBytes: 1_000) } throws: { error in
            guard case let .malformed(detail) = error as? VideoWireError else { return false }
            return detail.contains("2x2 frame with 5 bytes")
        }
        let unknown = try PipePair()
        unknown.writeRaw([0x51, 0, 0, 0, 0])
        #expect(throws: VideoWireError.malformed("message kind 81")) { try unknown.reader.receiveMessage(maxPixelBytes: 1) }
        let cut = try PipePair()
        cut.writeRaw([0x44, 200, 0, 0, 0, 0x7B])
        cut.closeWriter()
        #expect(throws: VideoWireError.truncated) { try cut.reader.receiveMessage(maxPixelBytes: 1) }
    }

    @Test("a container over the limit is refused from its declared length")
    func inputOverLimit() throws {
        let pair = try PipePair()
        try pair.writer.sendInput(Data(repeating: 7, count: 64))
        #expect(throws: VideoWireError.tooLarge(declared: 64, limit: 63)) { try pair.reader.receiveInput(limit: 63) }
        let fits = try PipePair()
        try fits.writer.sendInput(Data(repeating: 7, count: 64))
        #expect(try fits.reader.receiveInput(limit: 64) == [UInt8](repeating: 7, count: 64))
    }
}
