public import ImageAnalysis

/// Multi-index hashing (Norouzi, Punjani and Fleet, 2012): a hash is split into `m` chunks, each
/// looked up exactly in a table of its own. Two hashes at most `radius` bits apart have, by the
/// pigeonhole principle, at least one chunk at most ⌊radius / m⌋ bits apart, so looking up
/// each chunk's values within that many bits finds every candidate without a scan.
public struct MultiIndexHash: Sendable {
    /// Which hash of a signature this indexes, also the name its chunk rows carry. The names
    /// say the chunk width: an index whose rows carry other names re-chunks its images.
    public enum Source: String, Sendable, CaseIterable {
        case phash = "phash21"
        case block = "block32"
    }

    public let source: Source
    /// Bits per chunk.
    public let chunkBits: Int
    /// The Hamming radius every candidate within is guaranteed to be found.
    public let radius: Int

    /// The DCT hash in 3 chunks of 21 bits (its first 63), each looked up exactly: candidates
    /// within 2 bits.
    ///
    /// The comparison accepts DCT hashes up to ``SignatureComparison/phashRadius`` (12) apart,
    /// but reaching that far costs 697 lookups per 16-bit chunk (5,576 per query with the
    /// mirror), and on SQLite that measured 191 ms a query over 100,000 images. Resized,
    /// re-compressed, recoloured, blurred and mirrored copies sit within 2 bits, and framed ones
    /// are found by the block hash; the copies further off (light captions and turns) are the
    /// local features' to find, or come by a chunk that happens to agree. With 4 chunks of 16
    /// bits (within 3), a chunk named about 150 of 10,000,000 images, 1,200 candidates a query
    /// on PostgreSQL; a 21-bit chunk names about 5.
    public static let phash = MultiIndexHash(source: .phash, chunkBits: 21, radius: 2)
    /// The block hash in 8 chunks of 32 bits, each probed within 1 bit: every stored hash within
    /// 15 bits is a candidate (framed copies sit within ``SignatureComparison/blockHashRadius``;
    /// greyscale and brightened ones, within 16, are found by their DCT hash). Chunk widths,
    /// measured: 16 bits named about 15 of 1,000,000 images, ~8,000 candidates a query (227 ms
    /// on SQLite); 21 bits about 5 of 10,000,000, ~2,500 candidates (p99 63 ms on PostgreSQL);
    /// 32 bits, one in 400 million.
    public static let block = MultiIndexHash(source: .block, chunkBits: 32, radius: 15)
    /// Both, as indexes use them.
    public static let all = [phash, block]

    /// The hash this indexes, from a signature, and its mirrored form.
    public func hashes(of signature: ImageSignature) -> (own: BinaryHash, mirrored: BinaryHash) {
        switch source {
        case .phash: (BinaryHash(words: [signature.phash.value]), BinaryHash(words: [signature.mirroredPHash.value]))
        case .block: (signature.blockHash, signature.mirroredBlockHash)
        }
    }

    /// The chunks of `hash`, first bits first: as many whole chunks as the hash holds (a 256-bit
    /// hash in 21-bit chunks is 12 chunks over its first 252 bits).
    public func chunks(of hash: BinaryHash) -> [UInt64] {
        let count = hash.bitCount / chunkBits
        return (0..<count).map { chunk in
            var value: UInt64 = 0
            for offset in 0..<chunkBits {
                let bit = chunk * chunkBits + offset
                value = (value << 1) | ((hash.words[bit / 64] >> UInt64(63 - bit % 64)) & 1)
            }
            return value
        }
    }

    /// For each chunk of `hash`, every value within ⌊radius / chunks⌋ bits of it: the lookups
    /// that find every stored hash within ``radius``.
    public func probes(of hash: BinaryHash) -> [[UInt64]] {
        let chunks = chunks(of: hash)
        let reach = radius / max(1, chunks.count)
        return chunks.map { Self.neighbours(of: $0, bits: chunkBits, within: reach) }
    }

    /// `value` and every value of `bits` bits that differs from it in at most `reach` bits.
    public static func neighbours(of value: UInt64, bits: Int, within reach: Int) -> [UInt64] {
        var result: [UInt64] = [value]
        func flip(_ current: UInt64, from start: Int, left: Int) {
            guard left > 0 else { return }
            for bit in start..<bits {
                let next = current ^ (1 << UInt64(bit))
                result.append(next)
                flip(next, from: bit + 1, left: left - 1)
            }
        }
        flip(value, from: 0, left: reach)
        return result
    }
}
