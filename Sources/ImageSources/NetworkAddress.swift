import Foundation

/// An IP address a host name resolved to, and whether it belongs to a network that remote
/// sources must not reach (loopback, link-local with cloud metadata, private, unique-local…).
public struct NetworkAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Creates an address from its bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a numeric IPv4 or IPv6 address; nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// Whether the address is loopback, link-local, private, shared, unique-local, multicast or unspecified.
    public var isInternal: Bool {
        if bytes.count == 4 {
            let (a, b) = (bytes[0], bytes[1])
            return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
                || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224
        }
        guard bytes.count == 16 else { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }                      // :: and ::1
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return NetworkAddress(bytes: Array(bytes[12..<16])).isInternal          // IPv4-mapped
        }
        return bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80                          // fe80::/10 link-local
            || bytes[0] & 0xfe == 0xfc                                              // fc00::/7 unique-local
            || bytes[0] == 0xff                                                     // multicast
    }

    /// Resolves a host name (or numeric address) with the system resolver.
    /// - Throws: ``SourceError/unreachable(_:)`` when it does not resolve.
    public static func resolve(_ host: String) throws(SourceError) -> [NetworkAddress] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = NetworkAddress(name) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else {
            throw .unreachable("cannot resolve '\(name)'")
        }
        defer { freeaddrinfo(first) }
        var addresses: [NetworkAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let socket = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        addresses.append(NetworkAddress(bytes: withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }))
                    }
                } else if info.pointee.ai_family == AF_INET6 {
                    socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        addresses.append(NetworkAddress(bytes: withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }))
                    }
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
