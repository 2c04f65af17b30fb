public import Foundation

/// Where the encoded input comes from.
public enum ImageSource: Sendable {
    /// Bytes already in memory.
    case bytes(Data)
    /// A file; its size is checked against the limits before it is read.
    case file(String)
}
