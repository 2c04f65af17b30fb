public import ImageModel

/// How `f:auto` chose a format: the content it saw, the formats the client takes, and what won.
public struct FormatDecision: Sendable, Equatable {
    /// What the image looked like.
    public let content: ImageContent
    /// The format chosen.
    public let format: OutputFormat
    /// Why, in words: the content's numbers, and for graphics the sizes that were compared.
    public let reason: String
}
