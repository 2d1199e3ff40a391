/// What a build did, for the CLI's summary line and for tests.
public struct BuildSummary: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int
    public var languages: Int
    /// True when the output folder now holds this build.
    public var wrote: Bool
    /// Content-health figures, when the build ran with `health`.
    public var health: HealthData?
    /// True when the build was skipped because nothing changed.
    public var upToDate = false

    public var errors: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warnings: Int { diagnostics.filter { $0.severity == .warning }.count }

    /// Whether the build counts as failed under the given strictness.
    public func failed(strict: Bool) -> Bool { errors > 0 || (strict && warnings > 0) }
}

/// Progress of a running build, for terminals and logs.
public enum BuildEvent: Sendable {
    case phase(String)
    case pages(done: Int, total: Int)
}
