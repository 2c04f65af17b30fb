/// An error reported by libvips, with libvips' own message.
///
/// The message is read from libvips' error buffer right after the failing call, and the
/// buffer is cleared at the same moment, so a message never leaks into a later error.
public struct VipsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Darkroom operation that failed, such as `jpegsave_buffer` or `thumbnail`.
    public let operation: String
    /// libvips' message, trimmed; empty when libvips said nothing.
    public let message: String

    /// Creates an error for `operation` with libvips' `message`.
    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String {
        message.isEmpty ? "\(operation) failed" : "\(operation): \(message)"
    }
}
