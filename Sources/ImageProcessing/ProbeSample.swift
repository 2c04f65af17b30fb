import Vips

/// A reduced copy of a large image for a quality search to measure: a mosaic of full-resolution
/// tiles from a grid over the image.
///
/// Tiles rather than a downscaled copy, because compression artefacts live at the pixel scale:
/// a smaller image is denser in detail and would ask for more quality than the real one. The
/// tiles start on multiples of 16 pixels, so JPEG's and WebP's blocks fall where they fall in
/// the whole image.
struct ProbeSample {
    /// Edge of one tile, in pixels.
    static let tile = 112
    /// Tiles across and down.
    static let grid = 3

    /// The mosaic.
    let image: VipsImage

    /// A sample of `image`, or nil when the image is small enough to measure whole (at most
    /// four times the mosaic's pixels, when a sample saves little).
    init?(of image: VipsImage) throws(VipsError) {
        let side = Self.tile * Self.grid
        guard image.width * image.height > 4 * side * side, image.width >= side, image.height >= side else { return nil }
        var mosaic: VipsImage?
        for row in 0..<Self.grid {
            for column in 0..<Self.grid {
                let left = Self.aligned(centreOf: column, extent: image.width)
                let top = Self.aligned(centreOf: row, extent: image.height)
                let tile = try image.extracted(left: left, top: top, width: Self.tile, height: Self.tile)
                if let canvas = mosaic {
                    mosaic = try canvas.inserting(tile, x: column * Self.tile, y: row * Self.tile)
                } else {
                    mosaic = try tile.embedded(x: 0, y: 0, width: side, height: side, background: [0])
                }
            }
        }
        guard let mosaic else { return nil }
        self.image = try mosaic.materialised()
    }

    /// The tile's left (or top) edge for the centre of grid cell `index`, on a multiple of 16
    /// and inside the image.
    private static func aligned(centreOf index: Int, extent: Int) -> Int {
        let centre = (2 * index + 1) * extent / (2 * grid)
        let left = (centre - tile / 2) / 16 * 16
        return min(max(0, left), (extent - tile) / 16 * 16)
    }
}
