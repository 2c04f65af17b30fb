import Foundation

/// A copy of encoded bytes in memory that libvips reads lazily.
///
/// libvips' buffer loaders do not copy their input, so the bytes must stay at a fixed
/// address for as long as any image derived from them lives; every derived ``VipsImage``
/// keeps this object alive through its anchors.
final class SourceBytes: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    init(_ data: Data) {
        count = data.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(1, count), alignment: 16)
        data.withUnsafeBytes { raw in
            if let source = raw.baseAddress { base.copyMemory(from: source, byteCount: count) }
        }
    }

    deinit { base.deallocate() }
}
