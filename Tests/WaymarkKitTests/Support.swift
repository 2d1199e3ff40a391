import Foundation
import Testing

@testable import WaymarkKit

/// Paths of the repository, found from this file so tests run from any working directory.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let templates = root + "/templates"
    static let content = root + "/content"
    static let fixtures = root + "/Tests/Fixtures"
}

/// A site built from `files` (paths below the tree, such as `content/site.yml`) with the repository's
/// templates into the tree's `out/`; stops the run when the build reports errors.
func builtSite(_ files: [String: String]) -> TempTree {
    let tree = try! TempTree(files)
    let summary = SiteBuilder.build(BuildOptions(content: tree.path + "/content", templates: Repo.templates, output: tree.path + "/out"))
    precondition(summary.errors == 0, "\(summary.diagnostics)")
    return tree
}

/// A temporary folder holding a content tree written from a dictionary, removed when the value is released.
/// Tests write it before sharing it, so it is safe to read from parallel tests.
final class TempTree: @unchecked Sendable {
    let path: String

    init(_ files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "waymark-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    func write(_ name: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ name: String) -> String? {
        try? String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }

    /// Every file below `folder` with its bytes, for comparing whole trees.
    func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let base = path + "/" + folder
        guard let e = FileManager.default.enumerator(atPath: base) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: base + "/" + rel)
            }
        }
        return out
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A small two-language site (English and Persian) used by many tests; add or override files per test.
enum SmallSite {
    static let siteYML = """
        title: { en: "Help", fa: "راهنما" }
        baseURL: https://help.example.com/docs/
        defaultLanguage: en
        languages:
          - { code: en, name: English }
          - { code: fa, name: فارسی }
        segments:
          - { id: accountant, title: { en: Accountant, fa: حسابدار } }
        categories:
          - { id: billing, title: { en: Billing, fa: صورتحساب } }
        """

    static var files: [String: String] {
        [
            "content/site.yml": siteYML,
            "content/en/articles/billing/refunds.md": """
            ---
            title: "Refunds"
            summary: "How refunds work."
            updated: 2026-10-14
            ---

            Read about [invoices](invoices.md#due-dates) first.

            ## Asking for a refund

            Text.
            """,
            "content/en/articles/billing/invoices.md": """
            ---
            title: Invoices
            ---

            ## Due dates

            Invoices are due in 14 days. See [refunds](refunds.md).
            """,
            "content/fa/articles/billing/refunds.md": """
            ---
            title: "بازپرداخت"
            ---

            ## درخواست بازپرداخت

            متن.
            """,
            "content/en/guides/accountant/01-welcome.md": """
            ---
            title: Welcome
            stage: welcome
            duration: 10
            ---

            ## Checklist

            - [ ] Sign the letter {#sign}
            - [ ] Send documents
            """,
            "content/en/guides/accountant/02-first-close.md": """
            ---
            title: First close
            stage: first-value
            duration: 30
            ---

            - [ ] Close the month
            """,
            "content/en/landing/accountant.yml": """
            title: For accountants
            featured:
              - articles/billing/refunds.md
            """,
        ]
    }

    /// Writes the site (with `overrides`; a nil value removes a file) and returns the tree.
    static func tree(_ overrides: [String: String?] = [:]) throws -> TempTree {
        var all = files
        for (k, v) in overrides { all[k] = v }
        return try TempTree(all.compactMapValues { $0 })
    }

    static func options(_ tree: TempTree, output: String = "output") -> BuildOptions {
        BuildOptions(content: tree.path + "/content", templates: Repo.templates, output: tree.path + "/" + output)
    }
}

extension BuildSummary {
    func codes(_ severity: Diagnostic.Severity? = nil) -> [String] {
        diagnostics.filter { severity == nil || $0.severity == severity }.map(\.code)
    }
}

/// Swift Testing has its own `SourceLocation`; tests name ours through this alias.
typealias Loc = WaymarkKit.SourceLocation

/// What the process writes to its standard error (file descriptor 2, where C libraries print their
/// warnings) between `init` and `finish`.
final class StandardErrorCapture {
    private let saved: Int32
    private let file = NSTemporaryDirectory() + "waymark-stderr-" + UUID().uuidString

    init() throws {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw POSIXFailure(operation: "create", path: file, code: errno) }
        fflush(nil)
        saved = dup(2)
        dup2(fd, 2)
        close(fd)
    }

    func finish() -> String {
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        defer { unlink(file) }
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }
}
