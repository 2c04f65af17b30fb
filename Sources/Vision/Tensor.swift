/// A dense float32 tensor, row-major: what a network takes and gives.
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first (NCHW: batch, channels, height, width).
    public var shape: [Int]
    /// Every element, the last dimension varying fastest; `shape`'s product of them.
    public var values: [Float]

    /// A tensor of `shape` holding `values`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "a tensor's values must fill its shape")
        self.shape = shape
        self.values = values
    }

    /// Elements per item of the outermost dimension (per image of a batch).
    public var itemCount: Int { shape.dropFirst().reduce(1, *) }

    /// The item `index` of the outermost dimension, as a tensor of the remaining dimensions
    /// with an outermost dimension of 1.
    public func item(_ index: Int) -> Tensor {
        let size = itemCount
        return Tensor(shape: [1] + shape.dropFirst(), values: Array(values[(index * size)..<((index + 1) * size)]))
    }

    /// Tensors of equal item shapes, stacked along the outermost dimension.
    public static func stacking(_ tensors: [Tensor]) -> Tensor {
        precondition(!tensors.isEmpty && Set(tensors.map { Array($0.shape.dropFirst()) }).count == 1,
                     "stacked tensors must agree but for their outermost dimension")
        return Tensor(shape: [tensors.map { $0.shape[0] }.reduce(0, +)] + tensors[0].shape.dropFirst(),
                      values: tensors.flatMap(\.values))
    }
}
