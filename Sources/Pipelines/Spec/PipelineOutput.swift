public import ImageModel

/// A named derivative: a recipe and where its result is stored.
public struct PipelineOutput: Sendable, Equatable {
    public let name: String
    /// Runs on the preprocessed working image.
    public let recipe: Recipe
    public let key: KeyTemplate

    /// Creates an output.
    public init(name: String, recipe: Recipe, key: KeyTemplate) {
        self.name = name
        self.recipe = recipe
        self.key = key
    }
}

/// A de-identified copy of a DICOM source (`deidentify: dicom` in place of a recipe): PS3.15's
/// basic profile applied by ``Media/DICOMDeidentifier``, stored under `key` (`{ext}` is `dcm`).
public struct DICOMCopyOutput: Sendable, Equatable {
    public let name: String
    public let key: KeyTemplate

    /// Creates the output.
    public init(name: String, key: KeyTemplate) {
        self.name = name
        self.key = key
    }
}
