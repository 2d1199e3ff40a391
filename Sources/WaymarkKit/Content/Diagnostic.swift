/// A position in a source file, 1-based, with the column counted in Unicode scalars (what editors show),
/// not bytes.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One problem found in the input, located where the writer can fix it.
///
/// Every stage reports problems as values instead of throwing, so one run shows all of them
/// (the way compilers do) and the build decides at the end whether they are fatal.
public struct Diagnostic: Hashable, Sendable, Comparable, Error {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// A stable identifier for tools and documentation, such as `broken-link`.
    public var code: String
    public var message: String
    /// Path relative to the root it belongs to (see `root`), with `/` separators.
    public var file: String?
    public var location: SourceLocation?
    /// Which folder `file` is relative to: content files and templates are reported from their own roots;
    /// event logs (`report --events`) by the path given on the command line.
    public var root: Root

    public enum Root: String, Sendable, Hashable {
        case content, templates, output, events
    }

    public init(
        _ severity: Severity, _ code: String, _ message: String,
        file: String? = nil, at location: SourceLocation? = nil, root: Root = .content
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.location = location
        self.root = root
    }

    public static func error(
        _ code: String, _ message: String, file: String? = nil, at location: SourceLocation? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code, message, file: file, at: location)
    }

    public static func warning(
        _ code: String, _ message: String, file: String? = nil, at location: SourceLocation? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, file: file, at: location)
    }

    /// Orders diagnostics by file and position so output is stable however work was scheduled.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        let ka = (a.root.rawValue, a.file ?? "", a.location?.line ?? 0, a.location?.column ?? 0)
        let kb = (b.root.rawValue, b.file ?? "", b.location?.line ?? 0, b.location?.column ?? 0)
        if ka != kb { return ka < kb }
        if a.severity != b.severity { return a.severity < b.severity }
        return (a.code, a.message) < (b.code, b.message)
    }
}

/// Collects diagnostics from any thread.
public final class DiagnosticBag: @unchecked Sendable {
    private var items: [Diagnostic] = []
    private let lock = Lock()

    public init() {}

    public func report(_ diagnostic: Diagnostic) {
        lock.withLock { items.append(diagnostic) }
    }

    public func report(contentsOf diagnostics: some Sequence<Diagnostic>) {
        lock.withLock { items.append(contentsOf: diagnostics) }
    }

    /// All diagnostics, sorted and without exact duplicates.
    public var all: [Diagnostic] {
        lock.withLock { Array(Set(items)).sorted() }
    }

    public var hasErrors: Bool { lock.withLock { items.contains { $0.severity == .error } } }
}
