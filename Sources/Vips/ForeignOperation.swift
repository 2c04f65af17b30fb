import CVips

/// A loader or saver present in the running libvips, as `darkroom info --formats` lists it.
public struct ForeignOperation: Sendable, Hashable, Codable {
    /// Whether it reads or writes images.
    public enum Kind: String, Sendable, Codable {
        case load, save
    }

    /// libvips' nickname, such as `jpegload_buffer` or `heifsave`.
    public let name: String
    /// Whether it reads or writes.
    public let kind: Kind
    /// Whether Darkroom has blocked it (every loader but the served formats is).
    public let blocked: Bool

    /// Every concrete loader and saver of the running libvips, loaders first, by name.
    ///
    /// - Throws: ``VipsError`` when libvips cannot start.
    public static func all() throws(VipsError) -> [ForeignOperation] {
        try VipsRuntime.start()
        var found: [ForeignOperation] = []
        for (base, kind) in [("VipsForeignLoad", Kind.load), ("VipsForeignSave", Kind.save)] {
            var classes: [(name: String, blocked: Bool)] = []
            withUnsafeMutablePointer(to: &classes) { collected in
                // libvips calls back once per class below `base`, abstract ones included.
                _ = vips_class_map_all(g_type_from_name(base), { objectClass, context in
                    guard let objectClass, let context else { return nil }
                    let type = objectClass.pointee.parent_class.g_type_class.g_type
                    guard g_type_test_flags(type, G_TYPE_FLAG_ABSTRACT.rawValue) == 0,
                          let nickname = objectClass.pointee.nickname else { return nil }
                    let flags = UnsafeRawPointer(objectClass).assumingMemoryBound(to: VipsOperationClass.self)
                        .pointee.flags.rawValue
                    context.assumingMemoryBound(to: [(name: String, blocked: Bool)].self).pointee
                        .append((String(cString: nickname), flags & VIPS_OPERATION_BLOCKED.rawValue != 0))
                    return nil
                }, collected)
            }
            found += classes.map { ForeignOperation(name: $0.name, kind: kind, blocked: $0.blocked) }
                .sorted { $0.name < $1.name }
        }
        return found
    }

    /// The buffer loaders left unblocked (`jpegload_buffer`, `uhdrload_buffer`…), read once from
    /// the engine's block list (``VipsRuntime/servedLoaderClasses``), so the sniffing allow-list
    /// above libvips is that list and cannot drift from it. Empty when libvips cannot start.
    public static let servedBufferLoaders: Set<String> = Set(
        ((try? all()) ?? []).filter { $0.kind == .load && !$0.blocked && $0.name.hasSuffix("_buffer") }.map(\.name)
    )
}
