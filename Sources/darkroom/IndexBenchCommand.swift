import ArgumentParser
import Foundation
import ImageAnalysis
import JobQueue
import Similarity

/// `darkroom index bench`: builds an index from synthetic signatures and times near-duplicate
/// queries against it.
struct IndexBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Fill an index with synthetic signatures, then time near-duplicate searches: one JSON line.",
        discussion: """
            Each query is a stored signature with 6 of its 64 DCT-hash bits and 12 of its 256
            block-hash bits flipped (a near copy); recall is the share of queries whose original
            came back. Each signature carries 384 keypoints with random descriptors, as many as
            an index keeps of a photo (--no-keypoints leaves them out); --match transformed
            times transformed searches instead, whose queries bring the original's keypoints and
            640 more. Random descriptors spread over the anchor tables more evenly than real
            ones do. Use a fresh index: the images are added to it.

            Example:
              darkroom index bench --index sqlite:/tmp/bench-index.db --images 1000000 --queries 1000
            """)

    @OptionGroup var index: IndexOption
    @Option(help: "Images to index.") var images: Int = 100_000
    @Option(help: "Queries to time.") var queries: Int = 1000
    @Option(help: "Images added per transaction.") var batch: Int = 5000
    @Flag(inversion: .prefixedNo, help: "Give each signature keypoints.") var keypoints = true
    @Option(help: "The searches to time: near or transformed.") var match: String = "near"

    func validate() throws {
        guard images >= 1, (1...100_000).contains(queries), (1...100_000).contains(batch) else {
            throw ValidationError("--images ≥ 1, --queries 1...100000 and --batch 1...100000")
        }
        guard ["near", "transformed"].contains(match) else { throw ValidationError("--match: expected near or transformed") }
        guard match == "near" || keypoints else { throw ValidationError("--match transformed needs keypoints") }
    }

    func run() async throws {
        let (images, queries, batch, keypoints) = (images, queries, batch, keypoints)
        let kind = MatchKind(rawValue: match)!
        let location = try index.location
        let line = try await index.withIndex { index -> [String: String] in
            var generator = SystemRandomNumberGenerator()
            let buildStart = ContinuousClock.now
            var samples: [ImageSignature] = []
            let every = max(1, images / queries)
            for start in stride(from: 0, to: images, by: batch) {
                var entries: [IndexedImage] = []
                for number in start..<min(images, start + batch) {
                    let signature = Self.random(&generator, keypoints: keypoints ? LocalFeatures.storedCount : 0)
                    if number % every == 0, samples.count < queries { samples.append(signature) }
                    entries.append(IndexedImage(imageID: "s\(number)", key: "synthetic/\(number)", signature: signature))
                }
                try await index.add(contentsOf: entries)
            }
            let build = (ContinuousClock.now - buildStart).seconds
            var latencies: [Double] = [], found = 0
            for original in samples {
                var query = Self.nearCopy(of: original, &generator)
                if kind == .transformed {
                    // A copy the hashes miss, with the original's keypoints among its own.
                    query = Self.random(&generator, keypoints: LocalFeatures.detectedCount - LocalFeatures.storedCount)
                    query.keypoints = original.keypoints.appending(query.keypoints)
                }
                let start = ContinuousClock.now
                let matches = try await index.search(SimilarityQuery(signature: query, match: kind))
                latencies.append((ContinuousClock.now - start).seconds * 1000)
                if matches.contains(where: { $0.match == kind }) { found += 1 }
            }
            latencies.sort()
            func percentile(_ p: Double) -> String { String(format: "%.2f", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) }
            var fields = ["index": location.description, "images": String(images), "queries": String(samples.count),
                          "build_seconds": String(format: "%.1f", build),
                          "images_per_second": String(format: "%.0f", Double(images) / max(build, 0.001)),
                          "query_p50_ms": percentile(0.5), "query_p99_ms": percentile(0.99),
                          "recall": String(format: "%.3f", Double(found) / Double(max(1, samples.count)))]
            if case let .sqlite(path) = location {
                let bytes = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }
                    .reduce(0, +)
                fields["bytes_per_image"] = String(bytes / images)
            }
            return fields
        }
        print(JSONLine.encode(line))
    }

    /// A signature of random hashes and `keypoints` random keypoints: unrelated images, as far
    /// as the index can tell.
    static func random(_ generator: inout SystemRandomNumberGenerator, keypoints: Int) -> ImageSignature {
        func words(_ count: Int) -> [UInt64] { (0..<count).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) } }
        return ImageSignature(phash: PerceptualHash(words(1)[0]), dhash: PerceptualHash(words(1)[0]),
                              blockHash: BinaryHash(words: words(4)), mirroredPHash: PerceptualHash(words(1)[0]),
                              mirroredBlockHash: BinaryHash(words: words(4)), ringProfile: [Double](repeating: 0, count: 8),
                              colourMoments: [Double](repeating: 0.5, count: 6),
                              pixelDigest: words(2).map { String($0, radix: 16) }.joined(), isFlat: false,
                              keypoints: randomFeatures(keypoints, &generator))
    }

    /// `count` keypoints at random places of a 512×384 analysis copy, with random descriptors.
    static func randomFeatures(_ count: Int, _ generator: inout SystemRandomNumberGenerator) -> LocalFeatures {
        let positions = (0..<count).map { _ in
            SIMD2(Float.random(in: 0..<512, using: &generator), Float.random(in: 0..<384, using: &generator))
        }
        let descriptors = (0..<(32 * count)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return LocalFeatures(width: 512, height: 384, positions: positions, descriptors: descriptors)
    }

    /// `signature` with a few bits flipped in its hashes and another digest: a near copy.
    static func nearCopy(of signature: ImageSignature, _ generator: inout SystemRandomNumberGenerator) -> ImageSignature {
        func flip(_ words: [UInt64], _ count: Int) -> [UInt64] {
            var words = words
            for bit in (0..<(words.count * 64)).shuffled(using: &generator).prefix(count) { words[bit / 64] ^= 1 << UInt64(bit % 64) }
            return words
        }
        var copy = signature
        copy.phash = PerceptualHash(flip([signature.phash.value], 6)[0])
        copy.blockHash = BinaryHash(words: flip(signature.blockHash.words, 12))
        copy.pixelDigest = "copy-" + signature.pixelDigest
        return copy
    }
}
