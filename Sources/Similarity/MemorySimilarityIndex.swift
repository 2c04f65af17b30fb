import ImageAnalysis
import Synchronization

/// Signatures in memory, with the same multi-index tables as the database backends: for tests,
/// and for `darkroom dedupe`, which indexes a folder and forgets it.
public final class MemorySimilarityIndex: SimilarityIndex {
    private struct State {
        var images: [String: IndexedImage] = [:]
        /// Per hash source and chunk position: chunk value → image ids.
        var tables: [MultiIndexHash.Source: [[UInt64: Set<String>]]] = [:]
        var digests: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// An empty index.
    public init() {}

    public func add(_ entry: IndexedImage) async throws(SimilarityError) {
        try await add(contentsOf: [entry])
    }

    public func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError) {
        for entry in entries { try SimilarityRules.check(entry.signature) }
        state.withLock { state in
            for entry in entries { Self.insert(entry, into: &state) }
        }
    }

    /// Replaces one image in the tables.
    private static func insert(_ entry: IndexedImage, into state: inout State) {
        Self.remove(entry.imageID, from: &state)
        state.images[entry.imageID] = entry
        state.digests[entry.signature.pixelDigest, default: []].insert(entry.imageID)
        // Flat images are found only by their digest.
        guard !entry.signature.isFlat else { return }
        for index in MultiIndexHash.all {
            let chunks = index.chunks(of: index.hashes(of: entry.signature).own)
            // Changed in place: copying the tables out and back would cost the whole index per add.
            if state.tables[index.source] == nil { state.tables[index.source] = Array(repeating: [:], count: chunks.count) }
            for (position, value) in chunks.enumerated() {
                state.tables[index.source]![position][value, default: []].insert(entry.imageID)
            }
        }
    }

    public func remove(imageID: String) async throws(SimilarityError) {
        state.withLock { Self.remove(imageID, from: &$0) }
    }

    public func image(id: String) async throws(SimilarityError) -> IndexedImage? {
        state.withLock { $0.images[id] }
    }

    public func count() async throws(SimilarityError) -> Int {
        state.withLock { $0.images.count }
    }

    public func search(_ query: SimilarityQuery) async throws(SimilarityError) -> [SimilarityMatch] {
        try SimilarityRules.check(query)
        let candidates = state.withLock { state -> [IndexedImage] in
            var ids = state.digests[query.signature.pixelDigest] ?? []
            if query.match != .exact, !query.signature.isFlat {
                for index in MultiIndexHash.all {
                    guard let tables = state.tables[index.source] else { continue }
                    let hashes = index.hashes(of: query.signature)
                    for hash in [hashes.own, hashes.mirrored] {
                        for (position, values) in index.probes(of: hash).enumerated() {
                            for value in values { ids.formUnion(tables[position][value] ?? []) }
                        }
                    }
                }
            }
            return ids.compactMap { state.images[$0] }
        }
        return SimilarityRules.rank(candidates, for: query)
    }

    private static func remove(_ id: String, from state: inout State) {
        guard let old = state.images.removeValue(forKey: id) else { return }
        state.digests[old.signature.pixelDigest]?.remove(id)
        if state.digests[old.signature.pixelDigest]?.isEmpty == true { state.digests[old.signature.pixelDigest] = nil }
        for index in MultiIndexHash.all {
            for (position, value) in index.chunks(of: index.hashes(of: old.signature).own).enumerated() {
                state.tables[index.source]?[position][value]?.remove(id)
            }
        }
    }
}
