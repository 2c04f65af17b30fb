import ImageModel
import Vips

/// Turns a colour into the band values libvips expects for a given image.
enum BackgroundVector {
    /// Prepares `image` to be filled with `color`: adds an opaque alpha band when the colour
    /// is translucent and the image has none, so transparency survives.
    /// - Returns: the image to draw on and the background values, one per band.
    static func prepare(_ image: VipsImage, for color: Color) throws -> (VipsImage, [Double]) {
        var image = image
        if !color.isOpaque && !image.hasAlpha {
            image = try image.addingBand(constant: 255)
        }
        return (image, values(color, bands: image.bands, hasAlpha: image.hasAlpha))
    }

    /// The band values of `color` for an image with `bands` bands.
    static func values(_ color: Color, bands: Int, hasAlpha: Bool) -> [Double] {
        let rgb = [Double(color.red), Double(color.green), Double(color.blue)]
        let colourBands = hasAlpha ? bands - 1 : bands
        var result: [Double]
        if colourBands == 1 {
            result = [0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]]
        } else {
            result = Array(rgb.prefix(colourBands)) + Array(repeating: 0, count: max(0, colourBands - 3))
        }
        if hasAlpha { result.append(Double(color.alpha)) }
        return result
    }
}
