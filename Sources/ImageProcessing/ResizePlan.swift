import ImageModel

/// The geometry of one resize: what size to resample to, what to crop, what to extend to.
///
/// Computed from the source size alone, so it serves both shrink-on-load (before decoding)
/// and the resize step. Applying a plan to an image already at ``width`` × ``height`` is a
/// no-op resample, which is what makes the two paths agree.
struct ResizePlan {
    /// The size to resample to.
    let width: Int
    let height: Int
    /// The box to crop the resampled image to (`fill` modes), when smaller than it.
    let crop: (width: Int, height: Int)?
    /// The canvas to extend to, when `extend` is on.
    let canvas: (width: Int, height: Int)?

    /// Plans `mode` into a `boxWidth` × `boxHeight` box (0 = derive from the aspect ratio)
    /// for a source of `sourceWidth` × `sourceHeight`.
    init(sourceWidth: Int, sourceHeight: Int, mode: ResizeMode, boxWidth: Int, boxHeight: Int,
         enlarge: Bool, extend: Bool) {
        let sw = Double(sourceWidth), sh = Double(sourceHeight)
        var bw = Double(boxWidth), bh = Double(boxHeight)
        // A missing side follows the source's aspect ratio.
        if bw == 0 { bw = (bh * sw / sh).rounded() }
        if bh == 0 { bh = (bw * sh / sw).rounded() }
        var mode = mode
        if mode == .auto { mode = (sw >= sh) == (bw >= bh) ? .fill : .fit }

        var sx: Double, sy: Double
        var cropBox: (Double, Double)?
        switch mode {
        case .fit, .auto:
            sx = min(bw / sw, bh / sh)
            if !enlarge { sx = min(sx, 1) }
            sy = sx
        case .fill, .fillDown:
            sx = max(bw / sw, bh / sh)
            if sx > 1 && !enlarge {
                sx = 1
                if mode == .fillDown {
                    // Keep the box's aspect ratio by shrinking the box to fit the source.
                    let f = min(sw / bw, sh / bh)
                    bw = (bw * f).rounded()
                    bh = (bh * f).rounded()
                }
            }
            sy = sx
            cropBox = (bw, bh)
        case .force:
            sx = bw / sw
            sy = bh / sh
            if !enlarge { sx = min(sx, 1); sy = min(sy, 1) }
        }
        width = max(1, Int((sw * sx).rounded()))
        height = max(1, Int((sh * sy).rounded()))
        if let (cw, ch) = cropBox {
            let cropWidth = min(width, Int(cw)), cropHeight = min(height, Int(ch))
            crop = (cropWidth < width || cropHeight < height) ? (max(1, cropWidth), max(1, cropHeight)) : nil
        } else {
            crop = nil
        }
        canvas = extend ? (Int(bw), Int(bh)) : nil
    }

    /// The final size once the crop and the canvas are applied.
    var outputSize: (width: Int, height: Int) {
        if let canvas { return (max(canvas.width, crop?.width ?? width), max(canvas.height, crop?.height ?? height)) }
        return crop ?? (width, height)
    }
}
