import Foundation

/// Little-endian bytes in and out: the packed forms an index stores (``LocalFeatures/packed``,
/// ``ImageSignature/packed``) are written and read through it, so that they agree on byte order
/// and every read is bounds-checked.
struct PackedBytes {
    private(set) var bytes: [UInt8]
    private var offset = 0
    /// The error a read past the end throws: the packed form's own.
    private let malformed: @Sendable (String) -> AnalysisError

    /// An empty buffer to write into.
    init() { bytes = []; malformed = AnalysisError.malformedFeatures }

    /// `data` to read from the start; a read past its end throws `malformed`'s error.
    init(reading data: Data, malformed: @escaping @Sendable (String) -> AnalysisError) {
        bytes = [UInt8](data)
        self.malformed = malformed
    }

    var data: Data { Data(bytes) }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    mutating func append(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Double) { append(value.bitPattern) }

    mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// The next `count` bytes.
    /// - Throws: the reader's `malformed` error past the end.
    mutating func read(_ count: Int) throws(AnalysisError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw malformed("\(bytes.count) bytes end early") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type) throws(AnalysisError) -> Value {
        let slice = try read(MemoryLayout<Value>.size)
        return slice.reversed().reduce(Value.zero) { $0 << 8 | Value($1) }
    }

    mutating func read(_: Double.Type) throws(AnalysisError) -> Double { Double(bitPattern: try read(UInt64.self)) }
}
