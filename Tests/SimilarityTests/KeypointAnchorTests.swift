import ImageAnalysis
import Similarity
import Testing
import TestSupport

/// The anchors' measurements on the test photos: the numbers behind
/// ``KeypointAnchors/minimumVotes``.
@Suite("Keypoint anchors")
struct KeypointAnchorTests {
    /// The anchors a query `a` (all its points) shares with a stored `b` (its stored points).
    static func shared(_ a: ImageSignature, _ b: ImageSignature) -> Int {
        zip(KeypointAnchors.keys(of: a.keypoints), KeypointAnchors.keys(of: b.keypoints.stored))
            .map { Set($0).intersection($1).count }.reduce(0, +)
    }

    @Test("Every copy but mirrors shares at least twice the votes a candidate needs with its original")
    func copiesShareAnchors() throws {
        for photo in SignatureFixtures.photos {
            let original = try SignatureFixtures.signature(photo)
            for variant in DuplicateVariant.allCases where variant != .mirrored {
                let shared = Self.shared(try SignatureFixtures.signature(photo, variant), original)
                #expect(shared >= 2 * KeypointAnchors.minimumVotes, "\(photo) \(variant): \(shared) anchors")
            }
        }
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
        let least = KeypointAnchors.minimumVotes
        var votes = ["a": least - 1, "b": least, "c": least + 9, "d": least]
        #expect(KeypointAnchors.candidates(votes: votes) == ["c", "b", "d"])
        for index in 0..<200 { votes["many\(index)"] = least + 1 }
        #expect(KeypointAnchors.candidates(votes: votes).count == KeypointAnchors.maximumCandidates)
        #expect(KeypointAnchors.candidates(votes: votes).first == "c")
        #expect(KeypointAnchors.keys(of: .none(width: 10, height: 10)) == [[], []])
    }
}
