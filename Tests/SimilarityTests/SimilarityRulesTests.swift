import Foundation
import ImageAnalysis
import Testing
import TestSupport
import Similarity

@Suite("Similarity rules")
struct SimilarityRulesTests {
    @Test("A stored signature reads back packed, or from the JSON an older index wrote; other bytes are a storage error")
    func storedSignatures() throws {
        let signature = try SignatureFixtures.signature("chelsea")
        let keypoints = SimilarityRules.encodeKeypoints(of: signature)
        let packed = try SimilarityRules.decode(SimilarityRules.encode(signature), keypoints: keypoints)
        let json = try SimilarityRules.decode(JSONEncoder().encode(signature), keypoints: keypoints)
        #expect(packed == json)
        #expect(packed == SimilarityRules.stored(IndexedImage(imageID: "a", key: "a", signature: signature)).signature)
        #expect(try SimilarityRules.decode(SimilarityRules.encode(signature)).keypoints.count == 0)
        for bad in [Data("DRSG".utf8), Data("{}".utf8), Data()] {
            #expect(throws: SimilarityError.self) { try SimilarityRules.decode(bad) }
        }
        #expect(throws: SimilarityError.self) { try SimilarityRules.decode(SimilarityRules.encode(signature), keypoints: Data([1])) }
    }
}
