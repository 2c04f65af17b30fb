extension BinaryHash {
    /// The block-mean hash: the plane averaged into `side`×`side` blocks, each bit set when its
    /// block is brighter than the median block (`side`² bits).
    static func blockMean(of plane: GreyPlane, side: Int = 16) -> BinaryHash {
        let blocks = plane.scaled(width: side, height: side).values
        let sorted = blocks.sorted()
        let median = (sorted[blocks.count / 2 - 1] + sorted[blocks.count / 2]) / 2
        return BinaryHash(flags: blocks.map { $0 > median })
    }
}
