import ImageModel
public import ImageProcessing

/// Decodes images into a model's input: shrunk on load to the input's size, on the processor's
/// pixel pool, with its limits checked before decoding (as every decode is).
public struct ModelInputReader: Sendable {
    let processor: ImageProcessor

    /// A reader working on `processor`'s pool and limits.
    public init(processor: ImageProcessor) {
        self.processor = processor
    }

    /// The input tensor of `source` for a model taking `input`.
    /// - Throws: ``ProcessingError`` (undecodable, over a limit, a refused format) or
    ///   ``InferenceError/unusableImage(_:)``.
    public func input(of source: ImageSource, for input: ModelInput) async throws -> InputTensor {
        try await processor.derive(source, preprocess: InputTensor.preprocess(for: input), inspect: { working, header in
            try InputTensor(working, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight, input: input)
        }, outputs: { _ in [] }).inspection
    }
}
