#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation

/// The video decoder's wire format, spoken over the helper process's standard input and output.
///
/// Darkroom → decoder: the container's length (8 bytes, little-endian), its bytes, then
/// commands, each a 4-byte length and a ``FrameCommand`` in JSON; closing the pipe ends the
/// conversation. Decoder → Darkroom: messages, each a kind byte, a 4-byte length and a JSON
/// header, and for a frame an 8-byte length and the pixels. Encoding runs the other way:
/// Darkroom sends frames as inputs (an empty one ends them), the helper answers with the file. Every length is checked against the
/// reader's limit before anything is allocated.
public struct VideoWire: Sendable {
    /// The file descriptor read from or written to.
    public let descriptor: Int32

    /// The largest JSON header or command accepted.
    public static let maxHeaderBytes = 64 << 10

    /// Speaks on `descriptor` (a pipe's end).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    // MARK: Darkroom → decoder

    /// Sends the container.
    public func sendInput(_ bytes: Data) throws(VideoWireError) {
        try writeInteger(UInt64(bytes.count))
        if let error = bytes.withUnsafeBytes({ writeAll($0) }) { throw error }
    }

    /// Receives the container, refusing one over `limit` bytes before reading it.
    public func receiveInput(limit: Int) throws(VideoWireError) -> [UInt8] {
        guard let length = try readInteger(UInt64.self) else { throw .truncated }
        guard length <= UInt64(limit) else { throw .tooLarge(declared: Int(clamping: length), limit: limit) }
        var data = [UInt8](repeating: 0, count: Int(length))
        try fill(&data)
        return data
    }

    /// Sends a command.
    public func send(_ command: FrameCommand) throws(VideoWireError) {
        try sendJSON(command)
    }

    /// Receives the next command; nil when Darkroom closed the pipe.
    public func receiveCommand() throws(VideoWireError) -> FrameCommand? {
        guard let length = try readInteger(UInt32.self) else { return nil }
        return try decodeJSON(FrameCommand.self, length: Int(length))
    }

    // MARK: Decoder → Darkroom

    /// Sends a message.
    public func send(_ message: VideoMessage) throws(VideoWireError) {
        switch message {
        case let .description(description):
            try writeAll([Kind.description.rawValue])
            try sendJSON(description)
        case let .frame(header, pixels):
            try writeAll([Kind.frame.rawValue])
            try sendJSON(header)
            try writeInteger(UInt64(pixels.count))
            if let error = pixels.withUnsafeBytes({ writeAll($0) }) { throw error }
        case .done:
            try writeAll([Kind.done.rawValue])
            try sendJSON([String: String]())
        case let .output(bytes):
            try writeAll([Kind.output.rawValue])
            try sendJSON([String: String]())
            try writeInteger(UInt64(bytes.count))
            if let error = bytes.withUnsafeBytes({ writeAll($0) }) { throw error }
        case let .failure(failure):
            try writeAll([Kind.failure.rawValue])
            try sendJSON(failure)
        }
    }

    /// Receives the next message; nil when the decoder closed its output between messages.
    ///
    /// - Parameters:
    ///   - maxPixelBytes: the most pixel bytes a frame may carry.
    ///   - maxOutputBytes: the most bytes an encoded file may have.
    public func receiveMessage(maxPixelBytes: Int, maxOutputBytes: Int = 0) throws(VideoWireError) -> VideoMessage? {
        var kindByte: UInt8 = 0
        guard try withUnsafeMutableBytes(of: &kindByte, { readExactly($0) }).get() else { return nil }
        guard let kind = Kind(rawValue: kindByte) else { throw .malformed("message kind \(kindByte)") }
        guard let length = try readInteger(UInt32.self) else { throw .truncated }
        switch kind {
        case .description:
            return .description(try decodeJSON(VideoDescription.self, length: Int(length)))
        case .done:
            _ = try decodeJSON([String: String].self, length: Int(length))
            return .done
        case .failure:
            return .failure(try decodeJSON(DecoderFailure.self, length: Int(length)))
        case .output:
            _ = try decodeJSON([String: String].self, length: Int(length))
            guard let count = try readInteger(UInt64.self) else { throw .truncated }
            guard count <= UInt64(maxOutputBytes) else { throw .tooLarge(declared: Int(clamping: count), limit: maxOutputBytes) }
            var bytes = [UInt8](repeating: 0, count: Int(count))
            try fill(&bytes)
            return .output(bytes)
        case .frame:
            let header = try decodeJSON(FrameHeader.self, length: Int(length))
            guard let count = try readInteger(UInt64.self) else { throw .truncated }
            let (area, areaOverflow) = header.width.multipliedReportingOverflow(by: header.height)
            let (expected, bytesOverflow) = area.multipliedReportingOverflow(by: 3)
            guard header.width > 0, header.height > 0, !areaOverflow, !bytesOverflow, UInt64(expected) == count else {
                throw .malformed("a \(header.width)x\(header.height) frame with \(count) bytes")
            }
            guard count <= UInt64(maxPixelBytes) else { throw .tooLarge(declared: Int(clamping: count), limit: maxPixelBytes) }
            var pixels = [UInt8](repeating: 0, count: Int(count))
            try fill(&pixels)
            return .frame(header, pixels)
        }
    }

    // MARK: Framing

    private enum Kind: UInt8 {
        case description = 0x44 // D
        case frame = 0x46       // F
        case done = 0x45        // E
        case failure = 0x58     // X
        case output = 0x4F      // O
    }

    private func sendJSON(_ value: some Encodable) throws(VideoWireError) {
        let data: Data
        do { data = try JSONEncoder().encode(value) } catch { throw .malformed("\(error)") }
        try writeInteger(UInt32(data.count))
        if let error = data.withUnsafeBytes({ writeAll($0) }) { throw error }
    }

    private func decodeJSON<Value: Decodable>(_ type: Value.Type, length: Int) throws(VideoWireError) -> Value {
        guard length <= Self.maxHeaderBytes else { throw .tooLarge(declared: length, limit: Self.maxHeaderBytes) }
        var bytes = [UInt8](repeating: 0, count: length)
        try fill(&bytes)
        do { return try JSONDecoder().decode(Value.self, from: Data(bytes)) } catch { throw .malformed("\(error)") }
    }

    private func writeInteger<Integer: FixedWidthInteger>(_ value: Integer) throws(VideoWireError) {
        var little = value.littleEndian
        if let error = withUnsafeBytes(of: &little, { writeAll($0) }) { throw error }
    }

    /// nil when the pipe closed before the integer's first byte.
    private func readInteger<Integer: FixedWidthInteger>(_ type: Integer.Type) throws(VideoWireError) -> Integer? {
        var value = Integer.zero
        guard try withUnsafeMutableBytes(of: &value, { readExactly($0) }).get() else { return nil }
        return Integer(littleEndian: value)
    }

    private func writeAll(_ bytes: [UInt8]) throws(VideoWireError) {
        if let error = bytes.withUnsafeBytes({ writeAll($0) }) { throw error }
    }

    /// Fills `bytes` from the pipe, which must not close first.
    private func fill(_ bytes: inout [UInt8]) throws(VideoWireError) {
        guard try bytes.withUnsafeMutableBytes({ readExactly($0) }).get() else { throw .truncated }
    }

    /// Writes all of `raw`; the error, if any.
    private func writeAll(_ raw: UnsafeRawBufferPointer) -> VideoWireError? {
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .system(errno)
            }
            offset += written
        }
        return nil
    }

    /// Fills `raw`: false when the pipe was closed before its first byte, `truncated` when in the middle.
    private func readExactly(_ raw: UnsafeMutableRawBufferPointer) -> Result<Bool, VideoWireError> {
        var offset = 0
        while offset < raw.count {
            let count = read(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.system(errno))
            }
            if count == 0 { return offset == 0 ? .success(false) : .failure(.truncated) }
            offset += count
        }
        return .success(true)
    }
}
