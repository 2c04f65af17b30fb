import ImageAnalysis
import Similarity
import Testing
import TestSupport

/// The anchors' measurements on the test photos: the numbers behind
/// ``KeypointAnchors/minimumVotes``.
@Suite("Keypoint anchors")
struct KeypointAnchorTests {
    static func shared(_ a: ImageSignature, _ b: ImageSignature) -> Int {
        zip(KeypointAnchors.keys(of: a.keypoints), KeypointAnchors.keys(of: b.keypoints))
            .map { Set($0).intersection($1).count }.reduce(0, +)
    }

    @Test("Benign edits share many anchors with their original, and crops and turns enough to be verified")
    func copiesShareAnchors() throws {
        var hardMisses: [String] = []
        for photo in SignatureFixtures.photos {
            let original = try SignatureFixtures.signature(photo)
            for variant in DuplicateVariant.allCases where variant != .mirrored {
                let shared = Self.shared(try SignatureFixtures.signature(photo, variant), original)
                if variant.isHard {
                    if shared < KeypointAnchors.minimumVotes { hardMisses.append("\(photo) \(variant): \(shared)") }
                } else {
                    #expect(shared >= 5 * KeypointAnchors.minimumVotes, "\(photo) \(variant): \(shared) anchors")
                }
            }
        }
        // The smooth portrait's centre crop (1 anchor) is the one its keypoints cannot verify either.
        #expect(hardMisses.count <= 1, "\(hardMisses)")
    }

    @Test("Different photos share fewer anchors than a candidate needs")
    func differentPhotos() throws {
        for a in SignatureFixtures.photos {
            for b in SignatureFixtures.photos where b != a {
                let shared = Self.shared(try SignatureFixtures.signature(a), try SignatureFixtures.signature(b))
                #expect(shared < KeypointAnchors.minimumVotes, "\(a) and \(b): \(shared) anchors")
            }
        }
    }

    @Test("Candidates need the minimum of votes, the most first, at most the maximum")
    func candidates() {
        var votes = ["a": 2, "b": 3, "c": 9, "d": 3]
        #expect(KeypointAnchors.candidates(votes: votes) == ["c", "b", "d"])
        for index in 0..<200 { votes["many\(index)"] = 4 }
        #expect(KeypointAnchors.candidates(votes: votes).count == KeypointAnchors.maximumCandidates)
        #expect(KeypointAnchors.candidates(votes: votes).first == "c")
        #expect(KeypointAnchors.keys(of: .none(width: 10, height: 10)) == [[], []])
    }
}
