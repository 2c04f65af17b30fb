public import ObjectStorage
import Foundation

/// An AWS access key, with a session token for temporary credentials.
public struct S3Credentials: Sendable, Equatable {
    /// The access key id.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Finds credentials the way the AWS CLI and SDKs do: a profile named explicitly wins; then
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; then the
    /// `AWS_PROFILE` (or `default`) profile in `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    ///
    /// - Throws: ``ObjectStoreError/invalidConfiguration(_:)`` when none are found.
    public static func resolve(environment: [String: String], profile explicitProfile: String? = nil) throws(ObjectStoreError) -> S3Credentials {
        if explicitProfile == nil, let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
           let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
        }
        let profile = explicitProfile ?? environment["AWS_PROFILE"] ?? "default"
        let path = environment["AWS_SHARED_CREDENTIALS_FILE"]
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.aws/credentials")
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
           let section = parseProfiles(text)[profile],
           let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] {
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"])
        }
        throw .invalidConfiguration(
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [\(profile)] profile to \(path)")
    }

    /// The sections of an INI-style credentials file: profile name → key → value.
    static func parseProfiles(_ text: String) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst("profile ".count)) }
                current = name
                profiles[name, default: [:]] = profiles[name, default: [:]]
            } else if let current, let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                profiles[current]?[key] = value
            }
        }
        return profiles
    }
}
