import CVips

/// An argument for an operation called by name (``VipsImage/calling(_:input:_:)``).
public enum VipsArgument: Sendable {
    case image(VipsImage)
    case int(Int)
    case bool(Bool)
    case double(Double)
    case string(String)
}

extension VipsImage {
    /// Runs the libvips operation `name` with this image as its `input` argument and returns
    /// its `out` image: libvips' generic operation API, for operations that the headers Darkroom
    /// compiles against (Debian's 8.14) do not declare but the running library has, such as
    /// 8.18's `uhdr2scRGB`.
    ///
    /// - Parameters:
    ///   - name: the operation's nickname, as `vips -l` lists it.
    ///   - input: the name of its image argument: `in` for most, `input` for a few (`extract_area`).
    ///   - arguments: its other arguments, by name; enums and flags go as `.int`.
    /// - Throws: ``VipsError`` when the running libvips has no such operation, an argument is
    ///   refused, or the operation fails.
    public func calling(_ name: String, input: String = "in",
                        _ arguments: [String: VipsArgument] = [:]) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let others = arguments.values.compactMap { value -> VipsImage? in
            if case let .image(image) = value { return image }
            return nil
        }
        // Making and building the operation is lazy and has no effect but its output, so a
        // failure whose message may be mixed with another's can run again alone.
        let out = try VipsErrorChannel.attempt(name, rerunnable: true, discard: { g_object_unref($0) }) { () -> CImagePointer? in
            build(name, input: input, arguments)
        }
        return VipsImage(out, anchors: anchors + others.flatMap(\.anchors))
    }

    /// One run of the operation: its `out` image with a reference of its own, or nil when
    /// libvips failed (its message then waits in libvips' error buffer).
    private func build(_ name: String, input: String, _ arguments: [String: VipsArgument]) -> CImagePointer? {
        guard let operation = vips_operation_new(name) else { return nil }
        dr_set_image(operation, input, pointer)
        for (key, value) in arguments {
            switch value {
            case let .image(image): dr_set_image(operation, key, image.pointer)
            case let .int(number): dr_set_int(operation, key, Int32(clamping: number))
            case let .bool(flag): dr_set_int(operation, key, flag ? 1 : 0)
            case let .double(number): dr_set_double(operation, key, number)
            case let .string(text): dr_set_string(operation, key, text)
            }
        }
        // With the operation cache off, this builds and hands back the same object, one more
        // reference on it; on failure the outputs a partial build made must be released.
        guard let built = vips_cache_operation_build(operation) else {
            vips_object_unref_outputs(Self.object(operation))
            g_object_unref(UnsafeMutableRawPointer(operation))
            return nil
        }
        g_object_unref(UnsafeMutableRawPointer(operation))
        var out: CImagePointer?
        dr_get_image(built, "out", &out)  // g_object_get gives this caller its own reference
        vips_object_unref_outputs(Self.object(built))
        g_object_unref(UnsafeMutableRawPointer(built))
        return out
    }

    /// Whether the running libvips has the operation `name` (a newer one may, an older not).
    public static func hasOperation(_ name: String) -> Bool {
        guard (try? VipsRuntime.start()) != nil else { return false }
        return vips_type_find("VipsOperation", name) != 0
    }

    private static func object(_ operation: UnsafeMutablePointer<VipsOperation>) -> UnsafeMutablePointer<VipsObject> {
        UnsafeMutableRawPointer(operation).assumingMemoryBound(to: VipsObject.self)
    }
}
