/// One channel of a palette colour lookup table (PS3.3 C.7.6.3.1.5), as 8-bit levels for the
/// 256 possible 8-bit indices.
struct PaletteTable {
    /// The level of each index 0…255.
    let levels: [UInt8]

    /// Reads the table from its descriptor (entries, first mapped index, bits per entry) and data.
    init(descriptor: [UInt16], data: [UInt16]) {
        // 0 entries means 65,536; indices below the first mapped one take the first entry,
        // above the last the last.
        let entries = descriptor[0] == 0 ? 65_536 : Int(descriptor[0])
        let first = Int(descriptor[1])
        let sixteen = descriptor[2] > 8
        var levels = [UInt8](repeating: 0, count: 256)
        guard !data.isEmpty else {
            self.levels = levels
            return
        }
        for index in 0..<256 {
            let position = min(max(index - first, 0), min(entries, data.count) - 1)
            let value = data[position]
            // 16-bit entries: their high byte. 8-bit entries may come packed two to a word by
            // some writers; they are read as stored here, one per word.
            levels[index] = sixteen ? UInt8(value >> 8) : UInt8(truncatingIfNeeded: value)
        }
        self.levels = levels
    }
}
