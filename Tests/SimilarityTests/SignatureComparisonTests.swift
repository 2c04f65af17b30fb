import ImageAnalysis
import Similarity
import Testing
import TestSupport

/// The comparison's rules against the edited copies of every test photo. Global features are
/// expected to find the benign edits below, and never to pair two different photos; crops,
/// captions and turns beyond a few degrees are the local features' to verify.
@Suite("Signature comparison")
struct SignatureComparisonTests {
    @Test("resized, re-compressed, brightened, greyscale, blurred and mirrored copies match near; different photos never",
          arguments: SignatureFixtures.photos)
    func rules(_ name: String) throws {
        let original = try SignatureFixtures.signature(name)
        for variant: DuplicateVariant in [.resized, .recompressed, .brighter, .greyscale, .blurred, .mirrored] {
            let copy = try SignatureFixtures.signature(name, variant)
            let match = SignatureComparison.match(copy, original)
            #expect(match != nil && match!.kind <= .near, "\(name) \(variant)")
        }
        for other in SignatureFixtures.photos where other != name {
            let different = try SignatureFixtures.signature(other)
            #expect(SignatureComparison.match(original, different) == nil, "\(name) against \(other)")
            for variant: DuplicateVariant in [.bordered, .captioned, .cropped85, .rotated3] {
                #expect(SignatureComparison.match(try SignatureFixtures.signature(other, variant), original) == nil,
                        "\(other) \(variant) against \(name)")
            }
        }
    }

    @Test("a framed copy matches through the block hash, though the DCT hash moved")
    func framed() throws {
        let matched = try ["rocket", "grace_hopper", "chelsea", "coffee"].filter { name in
            SignatureComparison.match(try SignatureFixtures.signature(name, .bordered), try SignatureFixtures.signature(name)) != nil
        }
        #expect(matched.count == 4)
    }

    @Test("a smooth image's crop matches through the difference hash, where the DCT and block hashes moved past their radii")
    func smooth() throws {
        let original = try SignatureFixtures.smooth()
        let signature = try SignatureFixtures.signature(of: original)
        let crop = try SignatureFixtures.signature(of: DuplicateVariant.cropped85.apply(to: original))
        // Without the difference hash this copy would be missed: both other hashes are out of reach.
        #expect(crop.phash.distance(to: signature.phash) > SignatureComparison.phashRadius)
        #expect(crop.blockHash.distance(to: signature.blockHash) > SignatureComparison.blockHashRadius)
        #expect(crop.dhash.distance(to: signature.dhash) <= SignatureComparison.dhashRadius)
        #expect(SignatureComparison.match(crop, signature)?.kind == .near)
        let captioned = try SignatureFixtures.signature(of: DuplicateVariant.captioned.apply(to: original))
        #expect(SignatureComparison.match(captioned, signature)?.kind == .near)
        // And it does not pair the smooth image with any photo.
        for name in SignatureFixtures.photos {
            #expect(SignatureComparison.match(try SignatureFixtures.signature(name), signature) == nil, "\(name)")
        }
    }
}
