import Foundation

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
