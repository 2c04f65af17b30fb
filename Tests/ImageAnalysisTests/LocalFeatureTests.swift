import Foundation
import ImageAnalysis
import Testing
import TestSupport
import Vision

/// Keypoint verification on the test photos and their edited copies: the measurements behind
/// ``KeypointVerification/minimumInliers`` and ``LocalFeatures/storedCount``. A query brings all
/// its points; the original is what an index keeps (``LocalFeatures/stored``).
@Suite("Local features")
struct LocalFeatureTests {
    @Test("Every benign edit of every photo is verified against its original by keypoints",
          arguments: DuplicateVariant.allCases.filter { !$0.isHard })
    func verifiesBenignCopies(variant: DuplicateVariant) throws {
        for photo in SignatureFixtures.photos {
            let verification = try Self.verify(photo, variant)
            #expect(verification?.isMatch == true, "\(photo), \(variant): \(verification.map { "\($0.inliers) inliers" } ?? "no fit")")
        }
    }

    /// Mirrors are the hashes' to find (ORB's descriptors are not mirror-symmetric).
    @Test("Turns of 10° and crops of a quarter of the area are verified for at least 4 of the 5 photos",
          arguments: [DuplicateVariant.rotated10AndCropped, .cropped50])
    func verifiesHardCopies(variant: DuplicateVariant) throws {
        let verified = try SignatureFixtures.photos.filter { try Self.verify($0, variant)?.isMatch == true }
        #expect(verified.count >= 4, "verified: \(verified)")
    }

    static func verify(_ photo: String, _ variant: DuplicateVariant) throws -> KeypointVerification? {
        try KeypointVerification.verify(SignatureFixtures.signature(photo, variant).keypoints,
                                        against: SignatureFixtures.signature(photo).keypoints.stored)
    }

    @Test("Different photos, edited or not, are never verified as the same picture")
    func refusesDifferentPhotos() throws {
        for (index, a) in SignatureFixtures.photos.enumerated() {
            for b in SignatureFixtures.photos[(index + 1)...] {
                for variant in [nil] + DuplicateVariant.allCases {
                    let verification = try KeypointVerification.verify(try SignatureFixtures.signature(a, variant).keypoints,
                                                                       against: try SignatureFixtures.signature(b).keypoints.stored)
                    #expect(verification?.isMatch != true && (verification?.inliers ?? 0) < KeypointVerification.minimumInliers,
                            "\(a) (\(variant?.rawValue ?? "original")) against \(b): \(verification.map { "\($0.inliers)" } ?? "-")")
                }
            }
        }
    }

    @Test("Packed features read back the same, and bad bytes give a clear error")
    func packing() throws {
        let all = try SignatureFixtures.signature("chelsea").keypoints
        #expect(all.count == LocalFeatures.detectedCount)
        let features = all.stored
        #expect(features.count == LocalFeatures.storedCount && Array(features.keypoints.descriptors) == Array(all.keypoints.descriptors.prefix(Keypoints.descriptorBytes * LocalFeatures.storedCount)))
        let read = try LocalFeatures(packed: features.packed)
        #expect(read.width == features.width && read.height == features.height && read.version == features.version)
        #expect(read.keypoints.descriptors == features.keypoints.descriptors)
        for (a, b) in zip(read.keypoints.positions, features.keypoints.positions) {
            #expect(abs(a.x - b.x) <= 1.0 / 32 && abs(a.y - b.y) <= 1.0 / 32)
        }
        #expect(throws: AnalysisError.self) { try LocalFeatures(packed: Data([1, 2, 3])) }
        #expect(throws: AnalysisError.self) { try LocalFeatures(packed: features.packed.dropLast()) }
    }
}
