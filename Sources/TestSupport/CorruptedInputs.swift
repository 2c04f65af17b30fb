public import Foundation

/// Broken files made from good ones: truncated, bit-flipped, garbage, lying headers.
public enum CorruptedInputs {
    /// The first `fraction` of `data`.
    public static func truncated(_ data: Data, fraction: Double) -> Data {
        data.prefix(Int(Double(data.count) * fraction))
    }

    /// `data` with `count` bytes after the first `skip` replaced by bytes from a fixed-seed generator.
    public static func flipped(_ data: Data, count: Int, skip: Int, seed: UInt64) -> Data {
        var bytes = [UInt8](data)
        var state = seed
        for _ in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let index = skip + Int(state >> 33) % max(1, bytes.count - skip)
            bytes[index] ^= UInt8(truncatingIfNeeded: state >> 24) | 1
        }
        return Data(bytes)
    }

    /// `count` pseudo-random bytes.
    public static func garbage(count: Int, seed: UInt64) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
    }

    /// A PNG whose header claims `width` × `height` pixels while the file stays tiny:
    /// the IHDR chunk of a real PNG is rewritten and its CRC fixed, so only decoding reveals the lie.
    public static func pngBomb(from png: Data, width: UInt32, height: UInt32) -> Data {
        var bytes = [UInt8](png)
        // Signature (8) + length (4) + "IHDR" (4), then width and height, big-endian.
        func put(_ value: UInt32, at offset: Int) {
            for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
        }
        put(width, at: 16)
        put(height, at: 20)
        put(crc32(bytes[12..<29]), at: 29)
        return Data(bytes)
    }

    /// CRC-32 as PNG uses it (ISO 3309, reflected, polynomial 0xEDB88320).
    public static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension CorruptedInputs {
    /// One of each kind of hostile file the robustness tests feed every entry point, named so a
    /// folder of them can be processed (each name keeps its stem distinct and an image suffix,
    /// because a hostile upload rarely says what it is).
    public static func hostileFiles() throws -> [(name: String, data: Data, refused: Bool)] {
        var files: [(name: String, data: Data, refused: Bool)] = []
        for path in ["natural/rocket.jpg", "formats/hopper.png", "formats/hopper.webp", "formats/hopper.tif"] {
            let source = try Fixtures.data(path)
            let stem = (path as NSString).lastPathComponent.replacingOccurrences(of: ".", with: "-")
            files.append(("truncated-\(stem).jpg", truncated(source, fraction: 0.5), false))
            files.append(("flipped-\(stem).jpg", flipped(source, count: 16, skip: 20, seed: 7), false))
        }
        files.append(("garbage.jpg", garbage(count: 4096, seed: 11), true))
        files.append(("bomb.png", pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000), false))
        for path in ["refused/drawing.svg", "refused/page.pdf", "refused/hopper.jxl"] {
            let stem = (path as NSString).lastPathComponent.replacingOccurrences(of: ".", with: "-")
            files.append(("\(stem).jpg", try Fixtures.data(path), true))
        }
        return files
    }
}
