public import Foundation

/// A one-pass stream of byte chunks: the body of a streamed put or get.
///
/// It erases the type of whatever produces the chunks (a file, an HTTP body, a test's
/// generator), so the ``ObjectStore`` protocol needs no generics. Errors it throws while
/// reading should be ``ObjectStoreError``s; others are reported as transient failures.
public struct ObjectByteStream: AsyncSequence, Sendable {
    public typealias Element = Data

    private let makeNext: @Sendable () -> (() async throws -> Data?)

    /// Wraps any sendable sequence of chunks.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == Data {
        self.init(base, transform: { $0 })
    }

    /// Wraps a sendable sequence, turning each element into a chunk.
    public init<Base: AsyncSequence & Sendable>(_ base: Base, transform: @escaping @Sendable (Base.Element) -> Data) {
        makeNext = {
            var iterator = base.makeAsyncIterator()
            return { try await iterator.next().map(transform) }
        }
    }

    /// A stream of chunks already in memory.
    public init(chunks: [Data]) {
        self.init(chunks.async)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(produce: makeNext())
    }

    /// Reads every chunk into one buffer, failing once more than `limit` bytes arrive.
    public func collect(upTo limit: Int) async throws(ObjectStoreError) -> Data {
        var data = Data()
        do {
            for try await chunk in self {
                guard data.count + chunk.count <= limit else {
                    throw ObjectStoreError.failed("the stream is longer than \(limit) bytes")
                }
                data.append(chunk)
            }
        } catch {
            throw ObjectStoreError.wrapping(error)
        }
        return data
    }

    /// Reads the next chunk.
    public struct Iterator: AsyncIteratorProtocol {
        fileprivate let produce: () async throws -> Data?

        public mutating func next() async throws -> Data? { try await produce() }
    }
}

extension ObjectStoreError {
    /// `error` itself when it is an ``ObjectStoreError``, otherwise a transient failure naming it.
    package static func wrapping(_ error: any Error) -> ObjectStoreError {
        (error as? ObjectStoreError) ?? .transient(cause: String(describing: error))
    }
}

/// An array of chunks as an async sequence.
private struct ChunkSequence: AsyncSequence, Sendable {
    let chunks: [Data]
    func makeAsyncIterator() -> IndexingIterator<[Data]>.AsyncAdapter { .init(base: chunks.makeIterator()) }
}

extension IndexingIterator {
    fileprivate struct AsyncAdapter: AsyncIteratorProtocol {
        var base: IndexingIterator<Elements>
        mutating func next() async -> Element? { base.next() }
    }
}

extension Array where Element == Data {
    fileprivate var async: ChunkSequence { ChunkSequence(chunks: self) }
}
