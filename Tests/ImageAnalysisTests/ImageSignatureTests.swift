import Foundation
import Testing
import TestSupport
import Vips
@testable import ImageAnalysis

@Suite("Image signatures")
struct ImageSignatureTests {
    @Test("a mirror's hashes are the original's mirrored hashes; the same pixels give the same digest")
    func mirrors() throws {
        let photo = try SignatureFixtures.photo("chelsea")
        let original = try SignatureFixtures.signature(of: photo)
        let mirror = try SignatureFixtures.signature(of: photo.flipped(.horizontal))
        #expect(mirror.phash.distance(to: original.mirroredPHash) <= 2)
        #expect(mirror.blockHash.distance(to: original.mirroredBlockHash) <= 4)
        #expect(mirror.pixelDigest != original.pixelDigest)
        #expect(try SignatureFixtures.signature(of: photo).pixelDigest == original.pixelDigest)
        #expect(original.blockHash.bitCount == 256 && original.ringProfile.count == 8 && original.colourMoments.count == 6)
    }

    @Test("a frame does not move the block hash: flat margins are trimmed before it is taken")
    func frames() throws {
        for name in ["rocket", "chelsea", "coffee"] {
            let original = try SignatureFixtures.signature(name)
            let framed = try SignatureFixtures.signature(name, .bordered)
            #expect(framed.blockHash.distance(to: original.blockHash) <= 8, "\(name)")
            #expect(framed.phash.distance(to: original.phash) > 8, "the DCT hash alone would miss \(name)'s frame")
        }
    }

    @Test("flat, tiny and noisy-flat images get signatures marked flat; photos are not")
    func degenerate() throws {
        #expect(try SignatureFixtures.flat(level: 0).isFlat)
        #expect(try SignatureFixtures.flat(level: 200, width: 1, height: 1).isFlat)
        #expect(try SignatureFixtures.flat(level: 100, noise: 4).isFlat)
        #expect(!(try SignatureFixtures.flat(level: 60, noise: 120).isFlat))
        for name in SignatureFixtures.photos { #expect(!(try SignatureFixtures.signature(name).isFlat), "\(name)") }
    }

    @Test("signatures round-trip through JSON, hashes as hex")
    func json() throws {
        let signature = try SignatureFixtures.signature("rocket")
        let data = try JSONEncoder().encode(signature)
        // JSON carries the global features; the keypoints travel packed.
        var global = signature
        global.keypoints = .none(width: 0, height: 0)
        #expect(try JSONDecoder().decode(ImageSignature.self, from: data) == global)
        #expect(data.count < 2_000)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect((object?["block_hash"] as? String)?.count == 64 && object?["version"] as? Int == ImageSignature.currentVersion)
        #expect(object?["keypoints"] == nil)
        // A version-1 signature (before keypoints) still reads, so an index can still find it exactly.
        var old = object!
        old["version"] = 1
        let v1 = try JSONDecoder().decode(ImageSignature.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(v1.version == 1 && v1.keypoints.count == 0 && v1.pixelDigest == signature.pixelDigest)
        #expect(BinaryHash(hex: "xyz") == nil && BinaryHash(hex: "") == nil)
    }

    @Test("signatures round-trip packed, and truncated or foreign bytes are refused by name")
    func packed() throws {
        let signature = try SignatureFixtures.signature("rocket")
        var global = signature
        global.keypoints = .none(width: 0, height: 0)
        let bytes = signature.packed
        #expect(ImageSignature.isPacked(bytes) && bytes.count < 300)
        #expect(try ImageSignature(packed: bytes) == global)
        #expect(!ImageSignature.isPacked(try JSONEncoder().encode(signature)))
        for bad in [bytes.dropLast(), bytes + [0], Data("DRSG".utf8), Data([1, 2, 3]), Data()] {
            #expect(throws: AnalysisError.self) { try ImageSignature(packed: bad) }
        }
    }
}
