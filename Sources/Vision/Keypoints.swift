/// Keypoints with their binary descriptors, in the order they were found: positions in pixels
/// of the plane they were found in, and `descriptorBytes` bytes of descriptor per point,
/// stored end to end (the layout OpenCV's matchers take).
public struct Keypoints: Sendable, Equatable {
    /// ORB's descriptors are 256 bits.
    public static let descriptorBytes = 32

    /// x and y of each point.
    public var positions: [SIMD2<Float>]
    /// How strongly each point was detected (Harris response).
    public var responses: [Float]
    /// `count × descriptorBytes` bytes.
    public var descriptors: [UInt8]

    /// Keypoints from their parts; `descriptors` holds `descriptorBytes` per position.
    public init(positions: [SIMD2<Float>], responses: [Float], descriptors: [UInt8]) {
        precondition(responses.count == positions.count && descriptors.count == positions.count * Self.descriptorBytes)
        self.positions = positions
        self.responses = responses
        self.descriptors = descriptors
    }

    /// None.
    public static let none = Keypoints(positions: [], responses: [], descriptors: [])

    public var count: Int { positions.count }

    /// The descriptor of point `index`.
    public func descriptor(_ index: Int) -> ArraySlice<UInt8> {
        descriptors[(index * Self.descriptorBytes)..<((index + 1) * Self.descriptorBytes)]
    }

    /// The points at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> Keypoints {
        Keypoints(positions: indices.map { positions[$0] }, responses: indices.map { responses[$0] },
                  descriptors: indices.flatMap { descriptor($0) })
    }
}
