public import ImageModel
public import ImageProcessing

/// Finds the faces in an image that no pipeline is decoding: the source is shrunk on load to the
/// detector's working size, on the processor's pixel pool, with its limits checked first.
public struct FaceReader: Sendable {
    let processor: ImageProcessor
    private let extractor: FeatureExtractor
    private let preprocess: Recipe

    /// A reader working on `processor`'s pool, limits and detector, looking at a copy whose
    /// longer side is `longestSide` (the detector's working size when nil).
    public init(processor: ImageProcessor, longestSide: Int? = nil) {
        self.processor = processor
        let size = longestSide ?? processor.detector?.workingSize ?? 640
        extractor = FeatureExtractor(features: [.faces], detector: processor.detector, longestSide: size)
        // Cannot fail: a fit inside a box of a few hundred pixels is always a valid recipe.
        preprocess = try! Recipe(parsing: "rs:fit:\(size):\(size):0")
    }

    /// The faces in `source`, in its upright pixels, the surest first.
    /// - Throws: ``ProcessingError``: undecodable, over a limit, a refused format, or
    ///   `detectorUnavailable` without a detector.
    public func faces(of source: ImageSource) async throws -> [DetectedObject] {
        guard processor.detector != nil else { throw ProcessingError.detectorUnavailable(processor.detectorAbsence) }
        let extractor = extractor
        return try await processor.derive(source, preprocess: preprocess, inspect: { working, header in
            try extractor.extract(from: working, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight).faces ?? []
        }, outputs: { _ in [] }).inspection
    }
}
