import ImageModel
public import ImageProcessing

/// Measures the signature of an image that no pipeline is decoding: the source is decoded
/// shrunk on load to the analysis size (a JPEG at 1/8 of its size costs a fraction of a full
/// decode), on the processor's pixel pool, with its limits checked first.
public struct SignatureReader: Sendable {
    let processor: ImageProcessor
    private let extractor = FeatureExtractor(features: [.signature])
    private let preprocess: Recipe

    /// A reader working on `processor`'s pool and limits.
    public init(processor: ImageProcessor) {
        self.processor = processor
        let size = FeatureExtractor.analysisSize
        // Cannot fail: a fit inside the analysis box is always a valid recipe.
        preprocess = try! Recipe(parsing: "rs:fit:\(size):\(size):0")
    }

    /// The signature of `source`.
    /// - Throws: ``ProcessingError`` (undecodable, over a limit, a refused format).
    public func signature(of source: ImageSource) async throws -> ImageSignature {
        let extractor = extractor
        let derived = try await processor.derive(source, preprocess: preprocess, inspect: { working, header in
            try extractor.extract(from: working, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight).signature!
        }, outputs: { _ in [] })
        return derived.inspection
    }
}
