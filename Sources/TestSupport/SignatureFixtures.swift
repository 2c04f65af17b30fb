import Foundation
import Synchronization
public import ImageAnalysis
import ImageProcessing
public import Vips

/// Signatures of the test photos and of their edited copies, measured as a pipeline measures
/// them.
public enum SignatureFixtures {
    /// The natural photos among the fixtures.
    public static let photos = ["rocket", "grace_hopper", "chelsea", "coffee", "camera"]

    /// The decoded photo `name`.
    public static func photo(_ name: String) throws -> VipsImage {
        try VipsImage.load(Fixtures.data("natural/\(name).jpg"))
    }

    /// The signature of `image`.
    public static func signature(of image: VipsImage) throws -> ImageSignature {
        let features = try FeatureExtractor(features: [.signature])
            .extract(from: DecodedImage(image), sourceWidth: image.width, sourceHeight: image.height)
        return features.signature!
    }

    /// The signature of the photo `name`, edited by `variant` when one is given; measured once
    /// per test run.
    public static func signature(_ name: String, _ variant: DuplicateVariant? = nil) throws -> ImageSignature {
        let key = name + "/" + (variant?.rawValue ?? "original")
        // Measured inside the lock: suites running side by side would otherwise each measure the
        // same photos at once, and hold every cooperative thread while they do.
        return try measured.withLock { measured in
            if let known = measured[key] { return known }
            let image = try photo(name)
            let result = try signature(of: variant.map { try $0.apply(to: image) } ?? image)
            measured[key] = result
            return result
        }
    }

    private static let measured = Mutex<[String: ImageSignature]>([:])

    /// The signature of a `width`×`height` image of one grey `level`, plus `noise` (0 for none).
    public static func flat(level: UInt8, width: Int = 64, height: Int = 48, noise: UInt8 = 0) throws -> ImageSignature {
        var generator = SystemRandomNumberGenerator()
        let pixels = (0..<(width * height * 3)).map { _ in level &+ (noise == 0 ? 0 : UInt8.random(in: 0...noise, using: &generator)) }
        return try signature(of: VipsImage.fromPixels(pixels, width: width, height: height, bands: 3))
    }

    /// A smooth colour field like a gradient wallpaper, `width`×`height`: broad bands of colour,
    /// bent by `swirl`, with no edge or corner, which the DCT and block hashes hold on to poorly.
    public static func smooth(width: Int = 960, height: Int = 540, swirl strength: Double = 2) throws -> VipsImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) / Double(width), v = Double(y) / Double(height)
                let swirl = strength * (sin(3 * u + 2 * v * v) + cos(4 * v - u * u))
                let base = (y * width + x) * 3
                pixels[base] = UInt8(clamping: Int(120 + 90 * sin(2.2 * u + swirl)))
                pixels[base + 1] = UInt8(clamping: Int(60 + 50 * cos(1.7 * v - swirl)))
                pixels[base + 2] = UInt8(clamping: Int(110 + 80 * sin(1.3 * (u + v) + 0.5 * swirl)))
            }
        }
        return try VipsImage.fromPixels(pixels, width: width, height: height, bands: 3)
    }
}
