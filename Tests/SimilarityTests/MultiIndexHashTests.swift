import ImageAnalysis
import PropertyBased
import Scheduling
@testable import Similarity
import Testing

@Suite("Multi-index hashing")
struct MultiIndexHashTests {
    @Test("chunks are taken first bits first, as many whole ones as the hash holds")
    func chunks() {
        let hash = BinaryHash(words: [0x0123_4567_89AB_CDEF])
        // 63 of the 64 bits in three 21-bit chunks; the last bit is in none.
        #expect(MultiIndexHash.phash.chunks(of: hash) == [0x2468, 0x159E26, 0x15E6F7])
        let block = MultiIndexHash.block.chunks(of: BinaryHash(words: [.max, 0, 0, 1]))
        #expect(block == [0xFFFF_FFFF, 0xFFFF_FFFF, 0, 0, 0, 0, 0, 1])
    }

    @Test("neighbours within r bits: 1 + 16 + 120 + 560 of a 16-bit value within 3, all distinct")
    func neighbours() {
        let values = MultiIndexHash.neighbours(of: 0xBEEF, bits: 16, within: 3)
        #expect(values.count == 697 && Set(values).count == 697)
        #expect(values.allSatisfy { ($0 ^ 0xBEEF).nonzeroBitCount <= 3 && $0 <= 0xFFFF })
    }

    @Test("any hash within the radius shares a probed chunk (the pigeonhole promise)")
    func pigeonhole() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...16), Gen.uint64(in: 0...UInt64.max)) { word, flips, seed in
            var generator = SplitMix64(seed: seed)
            var other = word
            var bits = Array(0..<64)
            bits.shuffle(using: &generator)
            for bit in bits.prefix(flips) { other ^= 1 << UInt64(bit) }
            // Four chunks probed within 4 bits each reach 16 bits: the block hash's reach per 64 bits.
            let wide = MultiIndexHash(source: .phash, chunkBits: 16, radius: 16)
            let probes = wide.probes(of: BinaryHash(words: [word]))
            let chunks = wide.chunks(of: BinaryHash(words: [other]))
            #expect(zip(probes, chunks).contains { $0.contains($1) }, "\(flips) flips were not found")
        }
    }
}
