public import ImageAnalysis

/// `inspect: {reference: golden/part-7.jpg, threshold: 45, min_area: 40}`: compare each image
/// with a golden reference from the pipeline's object store; `max_defects` and
/// `max_defect_area` checks act on the result.
public struct InspectionStep: Sendable, Equatable {
    /// The reference's key in the object store.
    public let reference: String
    public let options: InspectionOptions

    public init(reference: String, options: InspectionOptions = InspectionOptions()) {
        self.reference = reference
        self.options = options
    }
}
