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
}
