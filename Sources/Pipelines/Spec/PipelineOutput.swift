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
