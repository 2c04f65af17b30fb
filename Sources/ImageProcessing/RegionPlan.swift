import Foundation
import ImageModel
import Vips

/// Shrink-on-load for a recipe that starts by cutting a region and scaling it down, as IIIF
/// tiles do. The loader decodes at 1/k (JPEG DCT scaling, WebP scaling, or the matching level
/// of a pyramidal TIFF) and the region is cut from that smaller image, so a zoomed-out tile
/// never decodes the image at full resolution.
struct RegionPlan: Equatable {
    let reduction: LoadReduction
    /// The factor the reduction should divide the size by; the loaded image is checked against it.
    let factor: Int

    /// A plan for `operations` on a source with `header`, read by `loader`; nil when the recipe
    /// does not start with an extract that is then scaled down by 2 or more, or the format
    /// cannot decode smaller.
    init?(operations: [ImageModel.Operation], header: ImageHeader, loader: String?) {
        guard operations.count >= 2, case let .extract(_, _, width, height) = operations[0],
              case let .resize(.force, targetWidth, targetHeight, _, _, _) = operations[1],
              targetWidth > 0, targetHeight > 0 else { return nil }
        // Edge tiles round their size up (927 px → 464), so allow 1% below a power of two.
        let shrink = Int((min(Double(width) / Double(targetWidth), Double(height) / Double(targetHeight)) * 1.01).rounded(.down))
        guard shrink >= 2 else { return nil }
        // The largest power of two the region is scaled down by.
        var factor = 1
        while factor * 2 <= shrink { factor *= 2 }
        switch loader {
        case "jpegload_buffer":
            factor = min(factor, 8)
            reduction = .jpegShrink(factor)
        case "webpload_buffer":
            reduction = .webpScale(1 / Double(factor))
        case "tiffload_buffer" where header.pages > 1:
            var page = 0
            while page + 1 < header.pages, 1 << (page + 1) <= factor { page += 1 }
            guard page > 0 else { return nil }
            factor = 1 << page
            reduction = .page(page)
        default:
            return nil
        }
        self.factor = factor
    }

    /// Loads the reduced image and maps the leading extract into it. Returns nil when the
    /// loader did not reduce by the planned factor (a multi-page TIFF that is not a pyramid),
    /// so the caller falls back to a full-size load.
    func load(_ input: EncodedInput, header: ImageHeader, operations: [ImageModel.Operation],
              access: AccessPattern) throws(VipsError) -> (VipsImage, [ImageModel.Operation])? {
        let image = try input.load(reduction: reduction, access: access)
        let sx = Double(header.width) / Double(image.width), sy = Double(header.height) / Double(image.height)
        let expected = Double(factor)
        guard abs(sx - expected) / expected < 0.02, abs(sy - expected) / expected < 0.02,
              case let .extract(x, y, width, height) = operations[0] else { return nil }
        let left = min(image.width - 1, Int(Double(x) / sx))
        let top = min(image.height - 1, Int(Double(y) / sy))
        let right = min(image.width, max(left + 1, Int((Double(x + width) / sx).rounded())))
        let bottom = min(image.height, max(top + 1, Int((Double(y + height) / sy).rounded())))
        var mapped = operations
        mapped[0] = .extract(x: left, y: top, width: right - left, height: bottom - top)
        return (image, mapped)
    }
}
