import ImageModel

extension ImageHeader {
    /// The header of `image`, as its loader left it.
    init(_ image: VipsImage) {
        let loader = image.loader ?? "unknown"
        var format = String(loader.split(separator: "_").first ?? "")
        if format.hasSuffix("load") { format.removeLast(4) }
        if format == "heif", image.string(named: "heif-compression") == "av1" { format = "avif" }
        self.init(format: format, width: image.width, height: image.height, bands: image.bands,
                  orientation: image.orientation, hasAlpha: image.hasAlpha, pages: image.pages,
                  hasICCProfile: image.hasICCProfile)
    }
}
