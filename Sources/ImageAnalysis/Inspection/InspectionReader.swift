public import Foundation
import ImageModel
public import ImageProcessing

/// Inspects sources against one golden reference, decoding each shrunk on load to the working
/// size, on the processor's pixel pool, with its limits checked first.
public struct InspectionReader: Sendable {
    let processor: ImageProcessor
    /// The prepared reference.
    public let inspector: ReferenceInspector
    private let preprocess: Recipe

    /// Decodes and prepares `reference`.
    /// - Throws: ``ProcessingError`` (undecodable, over a limit, a refused format) or ``InspectionError``.
    public init(reference: ImageSource, processor: ImageProcessor, options: InspectionOptions = InspectionOptions()) async throws {
        self.processor = processor
        let size = options.workingSize
        // Cannot fail: a fit inside a box of the validated working size is always a valid recipe.
        let preprocess = try! Recipe(parsing: "rs:fit:\(size):\(size):0")
        self.preprocess = preprocess
        inspector = try await processor.derive(reference, preprocess: preprocess, inspect: { working, _ in
            try ReferenceInspector(reference: working, options: options)
        }, outputs: { _ in [] }).inspection
    }

    /// The result for `source`, and with `overlay` a PNG of it with the defects outlined.
    /// - Throws: ``ProcessingError`` or ``InspectionError`` (another aspect ratio than the reference's).
    public func inspect(_ source: ImageSource, overlay: Bool = false) async throws -> (result: InspectionResult, overlay: Data?) {
        let inspector = inspector
        return try await processor.derive(source, preprocess: preprocess, inspect: { working, header in
            let result = try inspector.inspect(working, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight)
            let drawn = overlay ? try ReferenceInspector.overlay(working, sourceWidth: header.orientedWidth, result: result) : nil
            return (result, drawn)
        }, outputs: { _ in [] }).inspection
    }
}
