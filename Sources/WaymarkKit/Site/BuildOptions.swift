/// How to build: the flags of `waymark build` (and of `check` and `serve`, which reuse the pipeline).
public struct BuildOptions: Sendable {
    public var content: String
    public var templates: String
    public var output: String
    /// Overrides site.yml's `baseURL` (a deploy preview under another host or sub-path).
    public var baseURL: String?
    public var includeDrafts: Bool
    /// Warnings fail the build too.
    public var strict: Bool
    /// Validate everything but write nothing (`waymark check`).
    public var dryRun: Bool
    /// Add the live-reload script to every page (`waymark serve` only; never in published builds).
    public var liveReload: Bool
    /// Write gzip and Brotli copies next to text files, for servers that send them as they are.
    public var precompress = false
    /// Render templates with swift-mustache even where the compiled renderer could (parity tests).
    var referenceTemplates = false
    /// Skip the build when nothing changed since the last one (see `UpToDate`).
    public var skipUnchanged = false
    /// Identifies the waymark binary, part of the up-to-date check (a new binary rebuilds).
    public var tool = ""
    /// Run the content-health checks (`waymark check`, `waymark report`) and collect `BuildSummary.health`.
    public var health = false
    /// "Today" for staleness; injected so checks are reproducible (defaults to the current date).
    public var today: Day?

    public init(
        content: String = "content", templates: String = "templates", output: String = "output",
        baseURL: String? = nil, includeDrafts: Bool = false, strict: Bool = false, dryRun: Bool = false,
        liveReload: Bool = false
    ) {
        self.content = content
        self.templates = templates
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
        self.strict = strict
        self.dryRun = dryRun
        self.liveReload = liveReload
    }
}

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

/// Where a build's files go: the atomic output writer, memory for the preview server, or nowhere for
/// `check`.
public protocol OutputSink: Sendable {
    func write(_ path: String, _ bytes: some Collection<UInt8>) throws
    /// Keeps the file the previous build wrote at `path`; false when there is none to keep.
    func reuse(_ path: String) -> Bool
}

extension OutputSink {
    func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }
}

extension OutputWriter: OutputSink {
    public func reuse(_ path: String) -> Bool { false }
}

struct DiscardingSink: OutputSink {
    func write(_ path: String, _ bytes: some Collection<UInt8>) throws {}
    func reuse(_ path: String) -> Bool { false }
}
