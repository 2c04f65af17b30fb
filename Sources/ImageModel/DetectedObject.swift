/// Something a detector found: its class, its score and its box in the pixels of the image it
/// was found in, with landmarks where the detector gives them (a face's eyes, nose and mouth
/// corners). Models, the face detectors and the recipe steps that crop on, blur or draw
/// detections all speak this one value.
public struct DetectedObject: Sendable, Equatable, Codable {
    public var label: String
    public var score: Float
    public var box: Box
    /// Named points, in the same pixels as the box; nil when the detector gives none.
    public var landmarks: [Landmark]?

    /// The classes recipes may name in `g:obj:…`, `bd` and `dd`: the ones Darkroom's detectors find.
    public static let classes: Set<String> = ["face"]

    public init(label: String, score: Float, box: Box, landmarks: [Landmark]? = nil) {
        self.label = label
        self.score = score
        self.box = box
        self.landmarks = landmarks
    }

    /// The same object in an image scaled by `x` and `y` (and shifted by `dx`, `dy` after).
    public func scaled(x: Float, y: Float, dx: Float = 0, dy: Float = 0) -> DetectedObject {
        DetectedObject(label: label, score: score,
                       box: Box(x: box.x * x + dx, y: box.y * y + dy, width: box.width * x, height: box.height * y),
                       landmarks: landmarks?.map { Landmark(name: $0.name, x: $0.x * x + dx, y: $0.y * y + dy) })
    }

    /// Greedy non-maximum suppression: the best first, then each next one unless it overlaps a
    /// kept one of its label by more than `overlap` (intersection over union), at most `limit`.
    public static func suppressingOverlaps(_ candidates: [DetectedObject], overlap: Float,
                                           limit: Int = .max) -> [DetectedObject] {
        var kept: [DetectedObject] = []
        for candidate in candidates.sorted(by: { $0.score > $1.score }) where kept.count < limit {
            if kept.contains(where: { $0.label == candidate.label && $0.box.iou(candidate.box) > overlap }) { continue }
            kept.append(candidate)
        }
        return kept
    }
}

/// A named point of a detected object, such as `left_eye`.
public struct Landmark: Sendable, Equatable, Codable {
    public var name: String
    public var x: Float
    public var y: Float

    public init(name: String, x: Float, y: Float) {
        self.name = name
        self.x = x
        self.y = y
    }
}

/// An axis-aligned box: left, top, width and height.
public struct Box: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Intersection over union: 0 for disjoint boxes, 1 for the same box.
    public func iou(_ other: Box) -> Float {
        let left = max(x, other.x), right = min(x + width, other.x + other.width)
        let top = max(y, other.y), bottom = min(y + height, other.y + other.height)
        let intersection = max(0, right - left) * max(0, bottom - top)
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The smallest box that holds both.
    public func union(_ other: Box) -> Box {
        let left = min(x, other.x), top = min(y, other.y)
        return Box(x: left, y: top, width: max(x + width, other.x + other.width) - left,
                   height: max(y + height, other.y + other.height) - top)
    }

    /// The whole pixels this box touches inside an image of `width` × `height`: its left and top
    /// rounded down, its right and bottom rounded up; nil when nothing of it is inside. What
    /// blurring, outlining or cutting the box out of an image takes.
    public func pixels(inWidth imageWidth: Int, height imageHeight: Int) -> (left: Int, top: Int, width: Int, height: Int)? {
        guard let inside = clipped(width: imageWidth, height: imageHeight) else { return nil }
        let left = Int(inside.x.rounded(.down)), top = Int(inside.y.rounded(.down))
        let right = min(imageWidth, Int((inside.x + inside.width).rounded(.up)))
        let bottom = min(imageHeight, Int((inside.y + inside.height).rounded(.up)))
        return (left, top, max(1, right - left), max(1, bottom - top))
    }

    /// This box clipped to an image of `width` × `height`; nil when nothing of it is inside.
    public func clipped(width imageWidth: Int, height imageHeight: Int) -> Box? {
        let left = max(0, x), top = max(0, y)
        let right = min(Float(imageWidth), x + width), bottom = min(Float(imageHeight), y + height)
        guard right > left, bottom > top else { return nil }
        return Box(x: left, y: top, width: right - left, height: bottom - top)
    }
}
