public import ImageAnalysis

/// One image in a similarity index: its id, where it is stored, and its signature.
public struct IndexedImage: Sendable, Equatable, Codable {
    /// The image's id (an upload's content id, or any id the caller chooses).
    public var imageID: String
    /// Where the image is: an object key, a path or a URL.
    public var key: String
    public var signature: ImageSignature

    /// An entry.
    public init(imageID: String, key: String, signature: ImageSignature) {
        self.imageID = imageID
        self.key = key
        self.signature = signature
    }
}
