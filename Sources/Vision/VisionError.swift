/// An OpenCV call that failed, with OpenCV's message.
public struct VisionError: Error, Sendable, CustomStringConvertible {
    /// What was being done and what OpenCV said.
    public let message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    /// The error a boundary call wrote into `buffer` (NUL-terminated) while doing `operation`.
    init(_ operation: String, buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init("\(operation): \(String(decoding: bytes, as: UTF8.self))")
    }

    public var description: String { message }
}
