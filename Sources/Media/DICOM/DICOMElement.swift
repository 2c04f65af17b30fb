/// One element as an edit sees it: where it is, its tag, VR and value as text.
public struct DICOMElement: Sendable {
    /// 0 at the top level; 1 inside an item of a top-level sequence, and so on.
    public let depth: Int
    /// The tag.
    public let tag: DICOMTag
    /// The value representation's two letters (`PN`, `UI`, `SQ`…).
    public let vr: String
    /// The value as text, multiple values joined by `\`; empty for binary values and sequences.
    public let value: String
}

/// What an edit does to one element.
public enum DICOMEdit: Sendable, Equatable {
    /// Leave it as it is.
    case keep
    /// Remove it.
    case remove
    /// Keep it with an empty value (an empty sequence for SQ).
    case empty
    /// Replace its value.
    case replace(String)
}
