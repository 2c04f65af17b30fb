public import Vips

/// Images whose every pixel is known, so that geometry can be checked exactly.
public enum SyntheticImages {
    /// The quadrant colours of ``quadrants(width:height:)``: top-left, top-right, bottom-left, bottom-right.
    public static let quadrantColours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]

    /// An RGB image split into four solid quadrants: red, green / blue, white.
    public static func quadrants(width: Int, height: Int) throws -> VipsImage {
        try VipsImage.fromPixels(quadrantPixels(width: width, height: height), width: width, height: height, bands: 3)
    }

    /// The pixels of ``quadrants(width:height:)``, built independently of libvips.
    public static func quadrantPixels(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)
                pixels.append(contentsOf: quadrantColours[index])
            }
        }
        return pixels
    }

    /// A solid image of one colour (3 or 4 bands).
    public static func solid(width: Int, height: Int, colour: [UInt8]) throws -> VipsImage {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * colour.count)
        for _ in 0..<(width * height) { pixels.append(contentsOf: colour) }
        return try VipsImage.fromPixels(pixels, width: width, height: height, bands: colour.count)
    }

    /// Encodes an image losslessly as PNG, to feed the processor.
    public static func png(_ image: VipsImage) throws -> [UInt8] {
        Array(try image.encoded(.png(compression: 1, palette: false, quality: 100, interlace: false, strip: true)))
    }

    /// Distinct, saturated colours for ``grid(columns:rows:cell:)``, row by row.
    public static let gridColours: [[UInt8]] = [
        [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255],
        [128, 0, 0], [0, 128, 0], [0, 0, 128], [128, 128, 0], [128, 0, 128], [0, 128, 128],
    ]

    /// The colour of the grid cell in `column`, `row`.
    public static func gridColour(column: Int, row: Int, columns: Int) -> [UInt8] {
        gridColours[(row * columns + column) % gridColours.count]
    }

    /// An RGB grid of `cell`-pixel squares, each of its own colour (``gridColour(column:row:columns:)``),
    /// so that where each output pixel came from can be read off its colour.
    public static func grid(columns: Int, rows: Int, cell: Int = 100) throws -> VipsImage {
        let width = columns * cell, height = rows * cell
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width { pixels.append(contentsOf: gridColour(column: x / cell, row: y / cell, columns: columns)) }
        }
        return try VipsImage.fromPixels(pixels, width: width, height: height, bands: 3)
    }
}
