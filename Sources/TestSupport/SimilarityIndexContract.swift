import Foundation
import ImageAnalysis
public import Similarity

/// The behaviour every ``SimilarityIndex`` backend must share, on real signatures of the
/// test photos and their edited copies.
public enum SimilarityIndexContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case findsCopies, findsTransformedCopies, noFalseMatches, flatImages, replaceAndRemove, queryOptions, badInput, embeddings

    public var description: String { rawValue }

    public typealias Factory = @Sendable () async throws -> any SimilarityIndex

    /// The photos' own signatures, measured once for every run.
    private static let photos: [(String, ImageSignature)] = SignatureFixtures.photos.map { ($0, try! SignatureFixtures.signature($0)) }

    /// Runs `contractCase` against a fresh, empty index from `make`.
    public static func run(_ contractCase: SimilarityIndexContract, make: Factory) async throws {
        let index = try await make()
        try ContractFailure.check(try await index.count() == 0, "a new index is empty")
        for (name, signature) in photos {
            try await index.add(IndexedImage(imageID: name, key: "originals/\(name).jpg", signature: signature))
        }
        switch contractCase {
        case .findsCopies:
            for variant: DuplicateVariant in [.resized, .recompressed, .brighter, .greyscale, .blurred, .mirrored] {
                for (name, _) in photos {
                    let matches = try await index.search(SimilarityQuery(signature: try SignatureFixtures.signature(name, variant)))
                    // A greyscale copy of a grey photo has the same pixels: exact is right too.
                    try ContractFailure.check(matches.first?.imageID == name && (matches.first?.match ?? .transformed) <= .near
                                              && matches.first?.key == "originals/\(name).jpg",
                                              "a \(variant) copy of \(name) finds it, as a near match (\(matches))")
                    try ContractFailure.check(matches.count == 1, "a \(variant) copy of \(name) finds nothing else (\(matches))")
                }
            }
            let exact = try await index.search(SimilarityQuery(signature: photos[0].1))
            try ContractFailure.check(exact.first?.match == .exact && exact.first?.score == 1, "the same pixels match exactly, scoring 1")

        case .findsTransformedCopies:
            // Crops of a quarter of the area and turns of 10°: the hashes miss them, the keypoints'
            // anchors bring them up and RANSAC verifies them (all but the smooth portrait's crop).
            var found = 0, asked = 0
            for variant: DuplicateVariant in [.cropped50, .rotated10AndCropped] {
                for (name, _) in photos {
                    let signature = try SignatureFixtures.signature(name, variant)
                    let near = try await index.search(SimilarityQuery(signature: signature))
                    try ContractFailure.check(near.allSatisfy { $0.imageID == name }, "a \(variant) copy of \(name) finds nothing else (\(near))")
                    let matches = try await index.search(SimilarityQuery(signature: signature, match: .transformed))
                    try ContractFailure.check(matches.allSatisfy { $0.imageID == name }, "a \(variant) copy of \(name) finds nothing else (\(matches))")
                    asked += 1
                    guard let match = matches.first else { continue }
                    found += 1
                    try ContractFailure.check(match.match != .exact && match.score > 0 && match.score < 1,
                                              "a \(variant) copy of \(name) is a near or transformed match scoring under 1 (\(match))")
                }
            }
            try ContractFailure.check(found >= asked - 1, "crops and turns are found (\(found) of \(asked))")
            let transformed = try await index.search(SimilarityQuery(signature: try SignatureFixtures.signature("chelsea", .cropped50),
                                                                     match: .transformed))
            try ContractFailure.check(transformed.map(\.match) == [.transformed], "a heavy crop is a transformed match (\(transformed))")

        case .noFalseMatches:
            for (name, signature) in photos {
                let others = try await index.search(SimilarityQuery(signature: signature, match: .transformed, limit: 100, excluding: name))
                try ContractFailure.check(others.isEmpty, "\(name) matches no other photo (\(others))")
            }

        case .flatImages:
            let white = try SignatureFixtures.flat(level: 250), grey = try SignatureFixtures.flat(level: 128)
            try ContractFailure.check(white.isFlat && grey.isFlat, "one-colour images are flagged flat")
            try await index.add(IndexedImage(imageID: "white", key: "white.png", signature: white))
            let greyMatches = try await index.search(SimilarityQuery(signature: grey, match: .transformed))
            try ContractFailure.check(greyMatches.isEmpty, "a flat image matches neither a photo nor another flat image (\(greyMatches))")
            let whiteMatches = try await index.search(SimilarityQuery(signature: white, match: .transformed))
            try ContractFailure.check(whiteMatches.map(\.imageID) == ["white"] && whiteMatches[0].match == .exact,
                                      "a flat image matches its own pixels exactly (\(whiteMatches))")

        case .replaceAndRemove:
            try ContractFailure.check(try await index.count() == photos.count, "each photo is indexed once")
            try await index.add(IndexedImage(imageID: "rocket", key: "moved/rocket.jpg", signature: photos[0].1))
            try ContractFailure.check(try await index.count() == photos.count, "adding an id again replaces it")
            try ContractFailure.check(try await index.image(id: "rocket")?.key == "moved/rocket.jpg", "the replacement is what is kept")
            try await index.remove(imageID: "rocket")
            try await index.remove(imageID: "never-there")
            try ContractFailure.check(try await index.image(id: "rocket") == nil, "a removed image is gone")
            let after = try await index.search(SimilarityQuery(signature: photos[0].1, match: .transformed))
            try ContractFailure.check(after.isEmpty, "a removed image is no longer found (\(after))")
            try ContractFailure.check(try await index.count() == photos.count - 1, "the count follows")

        case .queryOptions:
            // A second copy of a photo under another id: two matches, ranked, limited, filtered.
            try await index.add(IndexedImage(imageID: "rocket-small", key: "small.jpg",
                                             signature: try SignatureFixtures.signature("rocket", .resized)))
            let both = try await index.search(SimilarityQuery(signature: photos[0].1))
            try ContractFailure.check(both.map(\.imageID) == ["rocket", "rocket-small"], "exact first, then near (\(both))")
            try ContractFailure.check(both[1].score > 0.5 && both[1].score < 1, "a near score is under 1 (\(both[1].score))")
            let one = try await index.search(SimilarityQuery(signature: photos[0].1, limit: 1))
            try ContractFailure.check(one.map(\.imageID) == ["rocket"], "k limits the answer")
            let exactOnly = try await index.search(SimilarityQuery(signature: photos[0].1, match: .exact))
            try ContractFailure.check(exactOnly.map(\.imageID) == ["rocket"], "match: exact leaves near copies out")
            let others = try await index.search(SimilarityQuery(signature: photos[0].1, excluding: "rocket"))
            try ContractFailure.check(others.map(\.imageID) == ["rocket-small"], "the query's own id can be left out")

        case .badInput:
            var old = photos[0].1
            old.version = ImageSignature.currentVersion + 1
            do {
                try await index.add(IndexedImage(imageID: "x", key: "x", signature: old))
                throw ContractFailure("a signature of another version is refused")
            } catch let error as SimilarityError {
                try ContractFailure.check(error.description.contains("version"), "the refusal names the version (\(error))")
            }
            do {
                _ = try await index.search(SimilarityQuery(signature: photos[0].1, limit: 0))
                throw ContractFailure("k = 0 is refused")
            } catch let error as SimilarityError {
                try ContractFailure.check(error.description.contains("k:"), "the refusal names k (\(error))")
            }
            let empty = try await make()
            try ContractFailure.check(try await empty.search(SimilarityQuery(signature: photos[0].1)).isEmpty,
                                      "an empty index answers with no matches")

        case .embeddings:
            // Vectors of two models; cosine similarity ranks within one model only.
            let vectors: [(String, [Float])] = [("rocket", [1, 0, 0]), ("chelsea", [0.9, 0.1, 0]), ("coffee", [0, 1, 0]),
                                                ("camera", [-1, 0, 0])]
            for (name, vector) in vectors {
                try await index.addEmbedding(ImageEmbedding(imageID: name, key: "originals/\(name).jpg", model: "m", vector: vector))
            }
            try await index.addEmbedding(ImageEmbedding(imageID: "rocket", key: "originals/rocket.jpg", model: "other", vector: [0, 0, 5]))
            let found = try await index.searchEmbeddings(EmbeddingQuery(model: "m", vector: [2, 0, 0], limit: 3))
            try ContractFailure.check(found.map(\.imageID) == ["rocket", "chelsea", "coffee"] && found[0].score == 1
                                      && found[0].key == "originals/rocket.jpg", "the closest vectors first, scored by cosine (\(found))")
            try ContractFailure.check(abs(found[1].score - 0.9939) < 0.001 && found[2].score == 0, "cosine scores (\(found))")
            let others = try await index.searchEmbeddings(EmbeddingQuery(model: "m", vector: [1, 0, 0], minimumScore: 0.5,
                                                                         excluding: "rocket"))
            try ContractFailure.check(others.map(\.imageID) == ["chelsea"], "min_score and the query's own id left out (\(others))")
            try await index.addEmbedding(ImageEmbedding(imageID: "chelsea", key: "originals/chelsea.jpg", model: "m", vector: [0, 0, 1]))
            try await index.remove(imageID: "rocket")
            let after = try await index.searchEmbeddings(EmbeddingQuery(model: "m", vector: [1, 0, 0]))
            try ContractFailure.check(after.map(\.imageID) == ["chelsea", "coffee", "camera"] && after[0].score == 0,
                                      "a replaced vector counts anew, a removed image is gone (\(after))")
            try ContractFailure.check(try await index.searchEmbeddings(EmbeddingQuery(model: "other", vector: [0, 0, 1])).isEmpty,
                                      "removing an image removes its vectors of every model")
            try ContractFailure.check(try await index.searchEmbeddings(EmbeddingQuery(model: "none", vector: [1])).isEmpty,
                                      "a model with no vectors finds nothing")
            for (query, field) in [(EmbeddingQuery(model: "m", vector: [1, 0]), "vector"), (EmbeddingQuery(model: "m", vector: []), "vector"),
                                   (EmbeddingQuery(model: "m", vector: [0, 0, 0]), "vector"),
                                   (EmbeddingQuery(model: "m", vector: [1, 0, 0], limit: 0), "k")] {
                do {
                    _ = try await index.searchEmbeddings(query)
                    throw ContractFailure("\(query) is refused")
                } catch let error as SimilarityError {
                    try ContractFailure.check(error.description.contains(field + ":"), "the refusal names \(field) (\(error))")
                }
            }
        }
    }
}
