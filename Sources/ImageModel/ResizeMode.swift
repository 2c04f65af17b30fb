/// How a resize treats the target box (imgproxy's resizing types).
public enum ResizeMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Keep the aspect ratio and fit inside the box.
    case fit
    /// Keep the aspect ratio, cover the box, then crop what sticks out (using the gravity).
    case fill
    /// Like `fill`, but never enlarge: when the image is smaller, the box shrinks to keep its ratio.
    case fillDown = "fill-down"
    /// Stretch to exactly the box, changing the aspect ratio.
    case force
    /// `fill` when the image and the box are both portrait or both landscape, `fit` otherwise.
    case auto
}
